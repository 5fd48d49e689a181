using Orleans.Batch.Hosting.Configuration;
using Orleans.Configuration;

namespace Orleans.Batch.Tests.Hosting.Configuration;

/// <summary>
/// Membership timings follow the cluster's size: small clusters keep their quick agreement, large ones keep their
/// DynamoDB traffic a small share of one partition. Probing, and so failure detection, never changes.
/// </summary>
public sealed class MembershipScaleTests
{
    [Theory]
    [InlineData(4, 2, 10, 10, 1)]
    [InlineData(100, 2, 10, 50, 1)]
    [InlineData(1000, 20, 20, 500, 10)]
    [InlineData(10000, 30, 60, 900, 10)]
    public void Timings_grow_with_the_cluster_within_their_bounds(int silos, double refresh, double alive, double reuse, double monitor)
    {
        var scale = MembershipScale.For(silos);

        scale.TableRefresh.ShouldBe(TimeSpan.FromSeconds(refresh));
        scale.IAmAlivePublish.ShouldBe(TimeSpan.FromSeconds(alive));
        scale.SnapshotReuse.ShouldBe(TimeSpan.FromSeconds(reuse));
        scale.ManagerMonitor.ShouldBe(TimeSpan.FromSeconds(monitor));
        scale.GatewayListRefresh.ShouldBe(scale.TableRefresh);
    }

    [Theory]
    [InlineData(4, 256)]
    [InlineData(1000, 2064)]
    [InlineData(10000, 20000)]
    public void The_change_log_covers_a_join_of_the_whole_cluster_within_its_bound(int silos, int expected)
    {
        // Each silo joins in two versions (Joining, Active); a silo whose last read was before the join began still
        // catches up from the log instead of reading every row.
        MembershipScale.For(silos).ChangeLogLength.ShouldBe(expected);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1000)]
    [InlineData(10000)]
    public void A_reused_snapshot_never_makes_a_live_silo_look_silent(int silos)
    {
        var scale = MembershipScale.For(silos);

        // Orleans ignores a silo whose heartbeat is older than the limit times the period; a reader's view of it can be
        // the reuse older than the last write, so the limit keeps Orleans' own 3 periods on top of the reuse.
        (scale.IAmAlivePublish * scale.IAmAliveMissLimit).ShouldBeGreaterThanOrEqualTo(scale.SnapshotReuse + (scale.IAmAlivePublish * 3));
    }

    [Fact]
    public void By_the_cost_model_the_steady_reads_of_a_thousand_silos_fit_a_fifth_of_one_partition()
    {
        // Per silo and second: one version read per refresh, a full read (about N/10 units) per reuse, and the lease.
        const int Silos = 1000;
        var scale = MembershipScale.For(Silos);
        var perSecond = Silos * ((1 / scale.TableRefresh.TotalSeconds) + (Silos / 10.0 / scale.SnapshotReuse.TotalSeconds) + (1 / scale.LeaseCheck(TimeSpan.FromMinutes(1)).TotalSeconds));

        perSecond.ShouldBeLessThanOrEqualTo(600);
        (Silos / scale.IAmAlivePublish.TotalSeconds).ShouldBeLessThanOrEqualTo(200, "heartbeat writes per second");
    }

    [Theory]
    [InlineData(4, 60, 10)]
    [InlineData(1000, 60, 10)]
    [InlineData(10000, 60, 100)]
    public void Each_silo_reads_the_managers_lease_no_more_often_than_the_cluster_allows(int silos, double orphanSeconds, double expected) =>
        MembershipScale.For(silos).LeaseCheck(TimeSpan.FromSeconds(orphanSeconds)).ShouldBe(TimeSpan.FromSeconds(expected));

    [Theory]
    [InlineData(4, 1, 2, 5)]
    [InlineData(16, 1, 2, 5)]
    [InlineData(32, 2, 3, 10)]
    [InlineData(1000, 2, 3, 10)]
    [InlineData(10_000, 2, 3, 10)]
    public void Probing_finds_a_dead_silo_within_seconds_at_every_size(int silos, double probeSeconds, int misses, double targetSeconds)
    {
        var options = new ClusterMembershipOptions();
        ShortLivedClusterDefaults.Apply(options, silos);

        (options.ProbeTimeout, options.NumMissedProbesLimit).ShouldBe((TimeSpan.FromSeconds(probeSeconds), misses));
        // The probes that must fail in a row, and then the votes (a table write each), within the target.
        MembershipScale.For(silos).FailureDetection.ShouldBeLessThan(TimeSpan.FromSeconds(targetSeconds - 2));
        options.NumVotesForDeathDeclaration.ShouldBe(new ClusterMembershipOptions().NumVotesForDeathDeclaration);
    }
}
