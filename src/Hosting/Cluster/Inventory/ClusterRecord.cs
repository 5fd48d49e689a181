using Orleans.Batch.Hosting.Membership;

namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>One cluster as <c>list</c> shows it and <c>cleanup</c> judges it: its partition, its jobs, its lease.</summary>
/// <param name="ClusterId">The cluster id.</param>
/// <param name="Partition">Its membership partition, or null when the store has none (jobs only).</param>
/// <param name="Jobs">Its active jobs in the queue that was searched (empty without a queue).</param>
/// <param name="LeaseState">The state of its manager lease.</param>
/// <param name="LeaseAge">Time since the lease was last renewed (by the manager's clock), when there is a lease.</param>
/// <param name="IsOrphaned">Whether <c>cleanup</c> may release it: its lease expired, or it has none and shows no life.</param>
/// <param name="Assessment">Why it is (or is not) orphaned, as a phrase.</param>
internal sealed record ClusterRecord(
    string ClusterId,
    ClusterPartition? Partition,
    IReadOnlyList<ClusterJob> Jobs,
    ClusterLeaseState LeaseState,
    TimeSpan? LeaseAge,
    bool IsOrphaned,
    string Assessment)
{
    /// <summary>Why its silos wait in RUNNABLE, one line per cause with its fix; empty when none waits (or without a queue).</summary>
    public IReadOnlyList<string> Waiting { get; init; } = [];

    /// <summary>The latest sign of the cluster: lease renewal, silo heartbeat or job creation.</summary>
    public DateTimeOffset? LastSeen => new[] { Partition?.Lease?.RenewedAt, Partition?.LastHeartbeat }
        .Concat(Jobs.Select(j => j.CreatedAt))
        .Max();
}
