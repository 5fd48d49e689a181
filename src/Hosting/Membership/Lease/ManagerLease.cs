namespace Orleans.Batch.Hosting.Membership.Lease;

/// <summary>
/// The manager's lease on its cluster, kept beside the membership rows (sort key <c>$lease</c>). Silos watch
/// <see cref="Renewals"/>: if it stops changing for longer than <see cref="Timeout"/> by the silo's own clock,
/// the manager is gone and the silo stops itself, so no silo outlives its manager for long, even when the
/// manager was killed without tearing down.
/// </summary>
/// <param name="Renewals">Incremented by every renewal (a counter, so silos need not trust the manager's clock).</param>
/// <param name="RenewedAt">When the manager last renewed, by its clock (for <c>list</c> and <c>cleanup</c>).</param>
/// <param name="Timeout">How long silos wait for a renewal before stopping (<c>--orphan-timeout</c>).</param>
/// <param name="Holder">Who holds it: host, process id, and Batch job id when there is one.</param>
public sealed record ManagerLease(long Renewals, DateTimeOffset RenewedAt, TimeSpan Timeout, string Holder)
{
    /// <summary>True when, at <paramref name="now"/>, the lease has not been renewed for longer than its timeout.</summary>
    public bool IsExpired(DateTimeOffset now) => now - RenewedAt > Timeout;
}
