using Orleans.Batch.Benchmarks.Infrastructure;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>A running cluster of either side, as the scenarios drive it.</summary>
internal interface IBenchCluster : IAsyncDisposable
{
    Side Side { get; }

    /// <summary>The connected Orleans client (the manager).</summary>
    IClusterClient Client { get; }

    IReadOnlyList<BenchSilo> Silos { get; }

    /// <summary>From the first action of the launch to ready (N active, client connected, GetHosts shows N).</summary>
    TimeSpan LaunchDuration { get; }

    /// <summary>Moments of the launch (harness-side), relative to its start.</summary>
    Timeline LaunchTimeline { get; }

    /// <summary>The launch's clock, to place silo log lines.</summary>
    Clock LaunchClock { get; }

    /// <summary>Lines the silos logged at error level or above.</summary>
    IReadOnlyCollection<string> SiloErrors { get; }

    /// <summary>Tears the cluster down the side's normal way and measures it. Called at most once.</summary>
    Task<TeardownResult> TeardownAsync();

    /// <summary>For ours: true once the membership table shows the silo dead. Null for the baseline (its table lives in a silo).</summary>
    Task<bool?> TableShowsDeadAsync(BenchSilo silo, CancellationToken cancellationToken);
}
