using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// Membership timings chosen from the number of silos the manager launches, so that a cluster's DynamoDB traffic
/// stays a small share of one partition's limits (3,000 read and 1,000 write units per second) at any size, while
/// small clusters keep their quick agreement. Failure detection does not read the table: silos probe each other, a
/// little more patiently in larger clusters.
/// </summary>
/// <remarks>
/// With <c>N</c> silos (see README, "Scale", for the measured costs):
/// <list type="bullet">
/// <item>table refresh <c>N/50</c> s within 2-30 s: each refresh is one read of the small version item, so at most 50
/// per second for the whole cluster;</item>
/// <item>a read after the version moved reads only the changes since the silo's last read, from a change log of
/// <see cref="ChangeLogLength"/> versions;</item>
/// <item>full partition reads at most every <c>N/2</c> s within 10 s-15 min (<see cref="SnapshotReuse"/>): a read of
/// N rows costs about N/10 read units, so the cluster spends about N/5 units per second on them;</item>
/// <item>I-am-alive writes every <c>N/50</c> s within 10-60 s: at most 50 write units per second up to 3,000 silos, and the number of
/// missed heartbeats Orleans tolerates grows by the snapshot reuse so that a reused snapshot never makes a live
/// silo look silent;</item>
/// <item>the manager's monitor every <c>N/100</c> s within 1-10 s, its gateway list as often as the table refresh,
/// and each silo's lease check no more often than every <c>N/100</c> s.</item>
/// </list>
/// </remarks>
/// <param name="Silos">How many silos the cluster has (at least 1).</param>
internal sealed record MembershipScale(int Silos)
{
    /// <summary>How often each silo refreshes its view of the table (Orleans' <c>TableRefreshTimeout</c>).</summary>
    public TimeSpan TableRefresh => Seconds(Silos / 50.0, 2, 30);

    /// <summary>How often each silo writes its I-am-alive time (Orleans' <c>IAmAliveTablePublishTimeout</c>).</summary>
    public TimeSpan IAmAlivePublish => Seconds(Silos / 50.0, 10, 60);

    /// <summary>How long a full read of the partition is reused while the version has not moved.</summary>
    public TimeSpan SnapshotReuse => Seconds(Silos / 2.0, 10, 900);

    /// <summary>
    /// How many versions the change log keeps: twice the silos (each joins in two changes) plus a margin, so a silo's
    /// read during a join of the whole cluster stays a read of the changes.
    /// </summary>
    public int ChangeLogLength => Math.Clamp((2 * Silos) + 64, 256, Membership.DynamoDB.DynamoDBMembershipOptionsValidator.MaximumChangeLogLength);

    /// <summary>How many I-am-alive periods a silo may miss (Orleans' <c>NumMissedTableIAmAliveLimit</c>): 3, plus the reuse.</summary>
    public int IAmAliveMissLimit => 3 + (int)Math.Ceiling(SnapshotReuse / IAmAlivePublish);

    /// <summary>How often the manager's client refreshes its gateway list.</summary>
    public TimeSpan GatewayListRefresh => TableRefresh;

    /// <summary>
    /// How long a probe may take, and so how often each silo probes the ones it watches (Orleans' <c>ProbeTimeout</c>):
    /// 1 s up to 16 silos, 2 s beyond. More silos means more probes that can meet a host busy starting or working
    /// (32 silo processes starting on two cores declared one of them dead with 1 s); death still takes a few seconds.
    /// </summary>
    public TimeSpan ProbeTimeout => TimeSpan.FromSeconds(Silos <= SmallCluster ? 1 : 2);

    /// <summary>How many probes in a row may fail before a silo votes its target dead (Orleans' <c>NumMissedProbesLimit</c>).</summary>
    public int MissedProbesLimit => Silos <= SmallCluster ? 2 : 3;

    /// <summary>The longest a dead silo goes unnoticed by its monitors: the probes that must fail in a row.</summary>
    public TimeSpan FailureDetection => ProbeTimeout * MissedProbesLimit;

    /// <summary>How often the manager's monitor looks at the silos' jobs and rows.</summary>
    public TimeSpan ManagerMonitor => Seconds(Silos / 100.0, 1, 10);

    /// <summary>How often a silo reads the manager's lease, given the orphan timeout.</summary>
    public TimeSpan LeaseCheck(TimeSpan orphanTimeout)
    {
        var byTimeout = ManagerLeaseOptions.CheckPeriodFor(orphanTimeout);
        var bySize = TimeSpan.FromSeconds(Silos / 100.0);
        return byTimeout > bySize ? byTimeout : bySize;
    }

    private const int SmallCluster = 16;

    /// <summary>The timings of a cluster of <paramref name="silos"/> silos; unknown (0 or less) counts as a small cluster.</summary>
    public static MembershipScale For(int? silos) => new(Math.Max(1, silos ?? 1));

    private static TimeSpan Seconds(double value, double min, double max) => TimeSpan.FromSeconds(Math.Clamp(value, min, max));
}
