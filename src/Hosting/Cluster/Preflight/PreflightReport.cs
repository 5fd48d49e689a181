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
}
