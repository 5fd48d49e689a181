namespace Orleans.Batch.Hosting.Cluster.Preflight;

/// <summary>Every preflight check of one launch, in the order they ran.</summary>
/// <param name="Checks">The checks.</param>
public sealed record PreflightReport(IReadOnlyList<PreflightCheck> Checks)
{
    /// <summary>True when a check failed: launching would leave silos waiting forever or failing at once.</summary>
    public bool BlocksLaunch => Checks.Any(c => c.Outcome == PreflightOutcome.Failed);

    /// <summary>The failed checks.</summary>
    public IEnumerable<PreflightCheck> Failures => Checks.Where(c => c.Outcome == PreflightOutcome.Failed);

    /// <summary>The checks that passed with a warning.</summary>
    public IEnumerable<PreflightCheck> Warnings => Checks.Where(c => c.Outcome == PreflightOutcome.Warning);

    /// <summary>One silo job's vCPUs (the override, else the job definition's), once every check ran.</summary>
    internal double? SiloVcpus { get; init; }

    /// <summary>One silo job's memory in MiB (the override, else the job definition's), when known.</summary>
    internal int? SiloMemoryMiB { get; init; }
}
