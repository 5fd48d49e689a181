using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application.Manager;

/// <summary>
/// What the manager was asked to do, from its command line (already validated): the library's cluster settings,
/// which the flags map onto one for one, and what only the command line knows (the workload, holding, verbosity).
/// </summary>
internal sealed record ManagerSettings
{
    /// <summary>What cluster to launch and where.</summary>
    public required BatchClusterOptions Cluster { get; init; }

    public required string Workload { get; init; }

    public IReadOnlyDictionary<string, string> WorkloadOptions { get; init; } = new Dictionary<string, string>();

    public required bool Hold { get; init; }

    public required bool Verbose { get; init; }

    /// <summary>Where to export metrics and traces over OTLP (<c>--otlp-endpoint</c>); null: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, if set.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Print metrics on standard error (<c>--metrics console</c>: true, <c>none</c>: false); null: <c>OTEL_METRICS_EXPORTER</c> decides.</summary>
    public bool? MetricsToConsole { get; init; }

    /// <summary>Where to write the run report as JSON (<c>--report FILE.json</c>); null: printed only.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Set for <c>--dashboard</c>: where the manager serves the Orleans Dashboard.</summary>
    public Dashboard.DashboardSettings? Dashboard { get; init; }

    /// <summary>Set for <c>--scale adaptive</c>: how the cluster scales with its load once launched.</summary>
    public Orleans.Batch.Hosting.Cluster.Elasticity.AdaptiveScalingOptions? Adaptive { get; init; }

    /// <summary>Set for <c>--backend rehearsal</c>: the cluster runs against a Batch emulator and DynamoDB Local started here.</summary>
    public RehearsalSettings? Rehearsal { get; init; }
}

/// <summary>What a rehearsal runs: the image of its jobs (containers), or this program (processes) when null.</summary>
internal sealed record RehearsalSettings(string? Image);
