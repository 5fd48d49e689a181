namespace Orleans.Batch.Hosting.Membership.Lease;

/// <summary>Where a cluster's manager lease is kept: beside its membership rows, in the same table or file.</summary>
public interface IManagerLeaseStore
{
    /// <summary>
    /// Writes the lease of <paramref name="clusterId"/> (creating or replacing it). A live lease never replaces
    /// one that a silo marked abandoned: the cluster is already being stopped, and the manager must learn so.
    /// </summary>
    /// <returns>True when written; false when <paramref name="lease"/> is live and the stored lease is abandoned.</returns>
    Task<bool> WriteAsync(string clusterId, ManagerLease lease, CancellationToken cancellationToken);

    /// <summary>Reads the lease of <paramref name="clusterId"/>, or null when there is none.</summary>
    Task<ManagerLease?> ReadAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the lease of <paramref name="clusterId"/> abandoned, but only while its renewal counter is still
    /// <paramref name="seenRenewals"/>: a manager that renewed in the meantime keeps its cluster.
    /// </summary>
    /// <returns>True when this call marked it; false when the lease moved on, is gone, or was already abandoned.</returns>
    Task<bool> MarkAbandonedAsync(string clusterId, long seenRenewals, CancellationToken cancellationToken);
}
