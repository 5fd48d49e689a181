namespace Orleans.Batch.Hosting.Membership.Lease;

/// <summary>
/// The manager lease, as silos see it (configuration section <c>OrleansBatch:Lease</c>; the manager sets it).
/// </summary>
public sealed class ManagerLeaseOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "OrleansBatch:Lease";

    /// <summary>The default <see cref="OrphanTimeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultOrphanTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a silo waits for its manager to renew the lease before it stops itself (<c>--orphan-timeout</c>).
    /// Null (the default for a silo started by hand) turns the watch off.
    /// </summary>
    public TimeSpan? OrphanTimeout { get; set; }

    /// <summary>
    /// How often the silo reads the lease. Null (the default): <see cref="CheckPeriodFor"/> of the timeout, and for a
    /// large cluster no more often than every <c>N/100</c> seconds (one read per silo adds up).
    /// </summary>
    public TimeSpan? CheckPeriod { get; set; }

    /// <summary>How often the manager renews: a quarter of the timeout, so three renewals can be missed.</summary>
    public static TimeSpan RenewalPeriodFor(TimeSpan orphanTimeout) => orphanTimeout / 4;

    /// <summary>How often a silo reads the lease: a sixth of the timeout, at least every second.</summary>
    public static TimeSpan CheckPeriodFor(TimeSpan orphanTimeout) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, orphanTimeout.Ticks / 6));
}
