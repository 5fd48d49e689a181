namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>One silo's state as its backend reports it.</summary>
/// <param name="Index">The silo's index in the cluster, 0-based (the Batch array index for the first submission).</param>
/// <param name="State">Where its compute is.</param>
/// <param name="Reason">Why it is in that state, when the backend says (Batch <c>statusReason</c>, exit reason).</param>
/// <param name="ExitCode">The exit code once it has ended, when known.</param>
/// <param name="LogLocation">Where its output is: a file path locally, a CloudWatch Logs stream on Batch.</param>
public sealed record SiloBackendStatus(
    int Index,
    SiloBackendState State,
    string? Reason = null,
    int? ExitCode = null,
    string? LogLocation = null)
{
    /// <summary>
    /// Which attempt this is, from 1: a silo lost to its infrastructure (a Spot reclamation, a killed process) is
    /// started again under the same index and name as a new attempt (Batch's <c>retryStrategy</c>).
    /// </summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Why the previous attempt ended, once there was one.</summary>
    public string? PreviousAttemptReason { get; init; }
}
