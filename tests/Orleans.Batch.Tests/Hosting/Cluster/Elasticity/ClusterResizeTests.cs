using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Launcher.Grains.Demo;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Runtime;

namespace Orleans.Batch.Tests.Hosting.Cluster.Elasticity;

/// <summary>
/// A running cluster grows and shrinks (Julia's addprocs and rmprocs) and replaces silos lost to their
/// infrastructure, on real local silo processes.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterResizeTests
{
    [Fact]
    public async Task Grows_from_2_to_4_and_back_to_2_with_grain_calls_working_throughout()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2);
        var events = new List<string>();
        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            cluster.SiloAdded += (_, e) => Record(events, $"added {e.Silo.Name}");
            cluster.SiloRemoved += (_, e) => Record(events, $"removed {e.Silo.Name}");

            var added = await cluster.AddSilosAsync(2, TestContext.Current.CancellationToken);

            added.Select(s => s.Name).ShouldBe(["local-2", "local-3"]);
            cluster.LiveSilos.Select(s => s.Index).ShouldBe([0, 1, 2, 3]);
            await AssertEachSiloAnswersAsync(cluster);

            var removed = await cluster.RemoveNewestSilosAsync(2, TestContext.Current.CancellationToken);

            removed.Select(s => s.Name).ShouldBe(["local-3", "local-2"]);
            cluster.LiveSilos.Select(s => s.Index).ShouldBe([0, 1]);
            cluster.RemovedSilos.Select(s => s.Index).Order().ShouldBe([2, 3]);
            cluster.Silos.Count.ShouldBe(4, "Silos lists every silo the cluster has had");
            cluster.LostSilos.ShouldBeEmpty("removing is not losing");
            await AssertEachSiloAnswersAsync(cluster);

            // Removed gracefully: each left the membership (Dead) and its process exited by itself.
            var rows = (await harness.Membership.ReadAsync(TestContext.Current.CancellationToken)).Members.Select(m => m.Item1).ToList();
            rows.Where(r => r.SiloName is "local-2" or "local-3").ShouldAllBe(r => r.Status == SiloStatus.Dead);
            var statuses = await harness.Backend.DescribeAsync(TestContext.Current.CancellationToken);
            statuses.Where(s => s.Index >= 2).ShouldAllBe(s => s.State == SiloBackendState.Succeeded);
            cluster.Degraded.IsCancellationRequested.ShouldBeFalse();
        }

        events.ShouldBe(["added local-2", "added local-3", "removed local-3", "removed local-2"]);
        harness.Observer.Changes.ShouldBe(["added 2", "added 3", "removed 3", "removed 2"]);
        harness.Observer.Teardowns.ShouldHaveSingleItem().Succeeded.ShouldBeTrue();
        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Removing_below_the_minimum_or_a_silo_that_is_not_live_is_refused_and_stops_nothing()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2, minSilos: 2);
        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            var belowMinimum = await Should.ThrowAsync<InvalidOperationException>(() => cluster.RemoveNewestSilosAsync(1, TestContext.Current.CancellationToken));
            belowMinimum.Message.ShouldContain("fewer than the cluster's minimum of 2");

            var stranger = cluster.LiveSilos[0] with { Index = 7, Name = "local-7" };
            var notLive = await Should.ThrowAsync<InvalidOperationException>(() => cluster.RemoveSilosAsync([stranger], TestContext.Current.CancellationToken));
            notLive.Message.ShouldContain("is not a live silo of this cluster");

            await Should.ThrowAsync<ArgumentOutOfRangeException>(() => cluster.AddSilosAsync(0, TestContext.Current.CancellationToken));
            cluster.LiveSilos.Count.ShouldBe(2);
            (await harness.Backend.DescribeAsync(TestContext.Current.CancellationToken)).ShouldAllBe(s => s.State == SiloBackendState.Running);
        }

        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task A_killed_silo_is_replaced_under_its_index_and_name_until_the_budget_is_spent()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2, replaceLost: 1);
        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            var first = cluster.LiveSilos.Single(s => s.Index == 1);
            var lost = new List<ClusterSiloEventArgs>();
            cluster.SiloLost += (_, e) => Record(lost, e);

            await PosixSignals.SendAsync(harness.Leaks.FindSiloProcess("local-1"), "KILL");

            // Back under the same index and name, as a new generation, and it answers.
            var back = await Eventually.MatchesAsync(
                () => Task.FromResult(cluster.LiveSilos.SingleOrDefault(s => s.Index == 1)),
                s => s is not null && s.Address.Generation != first.Address.Generation,
                TimeSpan.FromMinutes(1),
                "silo 1 is back as a new attempt");
            back!.Name.ShouldBe("local-1");
            (await cluster.GetGrainOnSilo<ISiloIdentityGrain>(back).GetIdentityAsync()).SiloAddress.ShouldBe(back.Address.ToParsableString());
            lost.ShouldHaveSingleItem().Replacing.ShouldBeTrue();
            cluster.ReplacementsUsed.ShouldBe(1);
            cluster.LostSilos.ShouldBeEmpty();
            cluster.Degraded.IsCancellationRequested.ShouldBeFalse("a silo being replaced does not degrade the cluster");
            (await harness.Backend.DescribeAsync(TestContext.Current.CancellationToken)).Single(s => s.Index == 1).Attempt.ShouldBe(2);

            // The budget is spent: the next loss is final, and below the minimum the cluster is degraded.
            await PosixSignals.SendAsync(harness.Leaks.FindSiloProcess("local-1"), "KILL");
            await Eventually.MatchesAsync(
                () => Task.FromResult(cluster.LostSilos),
                l => l.Count == 1,
                TimeSpan.FromMinutes(1),
                "silo 1 is lost for good");
            cluster.LostSilos[0].Reason.ShouldContain("not replaced: the replacement budget (--replace-lost 1) is spent");
            await Eventually.MatchesAsync(() => Task.FromResult(cluster.Degraded.IsCancellationRequested), d => d, TimeSpan.FromSeconds(30), "the cluster is degraded below its minimum");
        }

        harness.Observer.Changes[0].ShouldBe("replacing 1 (1/1)");
        harness.Observer.Changes[1].ShouldBe("added 1");
        harness.Observer.Changes[2].ShouldStartWith("lost 1: failed: exited with code 137");
        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task A_silo_that_fails_by_itself_is_not_replaced()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2, minSilos: 1, replaceLost: 3);
        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            // A graceful exit of its own (as when the workload's code stops it) is the silo's doing, not its compute's.
            await PosixSignals.SendAsync(harness.Leaks.FindSiloProcess("local-1"), "TERM");
            await Eventually.MatchesAsync(
                () => Task.FromResult(cluster.LostSilos),
                l => l.Count == 1,
                TimeSpan.FromMinutes(1),
                "silo 1 is lost");
            cluster.ReplacementsUsed.ShouldBe(0);
            (await harness.Backend.DescribeAsync(TestContext.Current.CancellationToken)).Single(s => s.Index == 1).Attempt.ShouldBe(1);
            cluster.Degraded.IsCancellationRequested.ShouldBeFalse();
        }

        await harness.AssertNothingLeftAsync();
    }

    private static void Record<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static async Task AssertEachSiloAnswersAsync(BatchCluster cluster)
    {
        foreach (var silo in cluster.LiveSilos)
        {
            var identity = await cluster.GetGrainOnSilo<ISiloIdentityGrain>(silo).GetIdentityAsync();
            identity.SiloName.ShouldBe(silo.Name);
        }
    }
}
