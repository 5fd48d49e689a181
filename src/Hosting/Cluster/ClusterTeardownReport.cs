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
    /// <summary>True when every step succeeded.</summary>
    public bool Succeeded => Errors.Count == 0;
}
