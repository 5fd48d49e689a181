namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>What a backend's tear-down did.</summary>
/// <param name="StoppedGracefully">Silos that stopped within the grace period.</param>
/// <param name="Killed">Silos that had to be forced.</param>
/// <param name="Description">A one-line account, e.g. "1 TerminateJob for array job 1234".</param>
public sealed record TeardownOutcome(int StoppedGracefully, int Killed, string Description)
{
    /// <summary>
    /// The compute that tear-down could not confirm as ended or ending (job ids, process ids): empty when everything
    /// the backend launched is gone or on its way out.
    /// </summary>
    public IReadOnlyList<string> StillRunning { get; init; } = [];

    /// <summary>True when nothing is left running: the lease and rows may go.</summary>
    public bool Confirmed => StillRunning.Count == 0;
}
