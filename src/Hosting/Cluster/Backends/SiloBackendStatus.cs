namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>One silo's state as its backend reports it.</summary>
/// <param name="Index">The silo's index in the launch, 0-based (the Batch array index).</param>
/// <param name="State">Where its compute is.</param>
/// <param name="Reason">Why it is in that state, when the backend says (Batch <c>statusReason</c>, exit reason).</param>
/// <param name="ExitCode">The exit code once it has ended, when known.</param>
/// <param name="LogLocation">Where its output is: a file path locally, a CloudWatch Logs stream on Batch.</param>
public sealed record SiloBackendStatus(
    int Index,
    SiloBackendState State,
    string? Reason = null,
    int? ExitCode = null,
    string? LogLocation = null);
