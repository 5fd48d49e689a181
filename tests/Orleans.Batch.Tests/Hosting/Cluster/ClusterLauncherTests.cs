using Orleans.Batch.Launcher.Grains.Demo;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Cluster;

/// <summary>How the manager waits for silos (min..max, timeouts, failures) and that it always cleans up.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterLauncherTests
{
    // A silo given a port that is not a number fails at start: a stand-in for a silo that cannot come up.
    private static void Break(IDictionary<string, string> environment) => environment["OrleansBatch__Silo__SiloPort"] = "not-a-port";

    [Fact]
    public async Task Launches_targets_each_silo_and_releases_everything_on_dispose()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2);

        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            cluster.Silos.Select(s => s.Name).ShouldBe(["local-0", "local-1"]);
            foreach (var silo in cluster.Silos)
            {
                var identity = await cluster.GetGrainOnSilo<ISiloIdentityGrain>(silo).GetIdentityAsync();
                identity.SiloName.ShouldBe(silo.Name);
                identity.SiloAddress.ShouldBe(silo.Address.ToParsableString());
            }

            (await cluster.GetActiveSilosAsync(TestContext.Current.CancellationToken)).Count.ShouldBe(2);
        }

        harness.Observer.Teardowns.ShouldHaveSingleItem().Succeeded.ShouldBeTrue();
        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Goes_on_at_once_with_the_active_silos_when_the_others_failed_and_the_minimum_is_met()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 3, minSilos: 2, configureSilo: (index, env) =>
        {
            if (index == 2)
            {
                Break(env);
            }
        });

        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            cluster.Silos.Select(s => s.Index).ShouldBe([0, 1]);
            harness.Observer.Warnings.ShouldHaveSingleItem().ShouldContain("1 of 3 silos failed");
        }

        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Fails_fast_with_each_silos_state_when_too_few_can_become_active()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2, configureSilo: (index, env) =>
        {
            if (index == 1)
            {
                Break(env);
            }
        });

        var failure = await Should.ThrowAsync<ClusterLaunchException>(() => harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken));

        failure.Reason.ShouldContain("fewer than the minimum of 2");
        failure.Message.ShouldContain("silo 1 (local-1): failed (exited with code");
        failure.Message.ShouldContain("silo-1.log");
        failure.Snapshot!.Silos[1].IsLost.ShouldBeTrue();
        harness.Backend.ReadLogTail(1, 20).ShouldContain(line => line.Contains("SiloPort", StringComparison.Ordinal));
        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Times_out_naming_each_silos_state_when_the_minimum_is_not_reached()
    {
        // Silo 1 joins a different table, so the manager never sees it: it stays "started" until the timeout.
        await using var harness = new LocalClusterHarness(maxSilos: 2, timeout: TimeSpan.FromSeconds(8), configureSilo: (index, env) =>
        {
            if (index == 1)
            {
                env["OrleansBatch__ClusterId"] = "somewhere-else";
            }
        });

        var failure = await Should.ThrowAsync<ClusterLaunchException>(() => harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken));

        failure.Reason.ShouldStartWith("Timed out after 8 s (--timeout) with 1 of 2 silos active");
        failure.Message.ShouldContain("silo 0 (local-0): active");
        failure.Message.ShouldContain("silo 1 (local-1): started");
        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task After_the_timeout_goes_on_with_the_minimum_and_stops_the_stragglers()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2, minSilos: 1, timeout: TimeSpan.FromSeconds(8), configureSilo: (index, env) =>
        {
            if (index == 1)
            {
                env["OrleansBatch__ClusterId"] = "somewhere-else";
            }
        });

        await using (var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken))
        {
            cluster.Silos.ShouldHaveSingleItem().Name.ShouldBe("local-0");
            harness.Observer.Warnings.ShouldHaveSingleItem().ShouldContain("stopping the other 1");
            var straggler = (await harness.Backend.DescribeAsync(TestContext.Current.CancellationToken)).Single(s => s.Index == 1);
            straggler.State.IsTerminal().ShouldBeTrue("the straggler should have been stopped");
        }

        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task A_failing_workload_still_releases_everything()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 1);

        await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await using var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken);
            throw new InvalidOperationException("the workload broke");
        });

        await harness.AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Cancelling_the_launch_releases_everything_and_reports_cancellation()
    {
        await using var harness = new LocalClusterHarness(maxSilos: 2);
        using var cancel = new CancellationTokenSource();
        harness.Observer.Snapshots.Clear();

        var launch = harness.Launcher.LaunchAsync(cancel.Token);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => launch);
        harness.Observer.Teardowns.ShouldHaveSingleItem();
        await harness.AssertNothingLeftAsync();
    }
}
