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
/// <param name="Holder">Who holds it, for people: host, process id, and Batch job id when there is one.</param>
public sealed record ManagerLease(long Renewals, DateTimeOffset RenewedAt, TimeSpan Timeout, string Holder)
{
    /// <summary>The manager's host name, so <c>list</c> on the same host can check that its process still lives.</summary>
    public string? HostName { get; init; }

    /// <summary>The manager's process id on <see cref="HostName"/>.</summary>
    public int? ProcessId { get; init; }

    /// <summary>When the manager's process started (UTC), so a reused process id is not taken for the manager.</summary>
    public DateTimeOffset? ProcessStartedAt { get; init; }

    /// <summary>
    /// True when the manager gave up tearing its cluster down: silos stop at once, <c>list</c> shows the cluster
    /// as orphaned and <c>cleanup</c> releases it without waiting for the lease to expire.
    /// </summary>
    public bool Abandoned { get; init; }

    /// <summary>True when, at <paramref name="now"/>, the lease has not been renewed for longer than its timeout.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the lease expired.</returns>
    public bool IsExpired(DateTimeOffset now) => now - RenewedAt > Timeout;
}
