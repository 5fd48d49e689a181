using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Membership;

/// <summary>One cluster's partition of a membership store, as <c>list</c> and <c>cleanup</c> see it.</summary>
/// <param name="ClusterId">The cluster id (for local files, the file name's cluster part).</param>
/// <param name="Lease">The manager's lease, or null when the partition has none.</param>
/// <param name="ActiveSilos">Silo rows whose status is Active.</param>
/// <param name="TotalSilos">All silo rows (any status).</param>
/// <param name="LastHeartbeat">The latest I-am-alive time of any row, when there are rows.</param>
internal sealed record ClusterPartition(string ClusterId, ManagerLease? Lease, int ActiveSilos, int TotalSilos, DateTimeOffset? LastHeartbeat);
