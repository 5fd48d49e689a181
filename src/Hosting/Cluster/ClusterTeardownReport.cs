using Orleans.Batch.Hosting.Cluster.Backends;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>What tear-down did, and what it could not do.</summary>
/// <param name="Backend">The backend's account, or null when it failed.</param>
/// <param name="MembershipDeleted">True when the cluster's membership rows were deleted.</param>
/// <param name="Elapsed">How long tear-down took.</param>
/// <param name="Errors">One line per step that failed.</param>
public sealed record ClusterTeardownReport(
    TeardownOutcome? Backend,
    bool MembershipDeleted,
    TimeSpan Elapsed,
    IReadOnlyList<string> Errors)
{
    /// <summary>
    /// True when tear-down gave up with compute possibly still running: the lease was marked abandoned and the rows
    /// kept, so <c>list</c> shows the cluster as orphaned and <c>cleanup</c> releases it at once.
    /// </summary>
    public bool Abandoned { get; init; }

    /// <summary>What may still run when <see cref="Abandoned"/> (job ids, process ids).</summary>
    public IReadOnlyList<string> StillRunning { get; init; } = [];

    /// <summary>True when every step succeeded.</summary>
    public bool Succeeded => Errors.Count == 0;
}
