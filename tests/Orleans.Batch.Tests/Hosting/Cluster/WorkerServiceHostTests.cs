using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Launcher.Grains.Demo;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Cluster;

/// <summary>
/// The manager side of the public library from a host that is not our command line: a worker service registers
/// <c>AddOrleansBatchCluster</c>, launches, calls each silo, and stops; nothing is left behind.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class WorkerServiceHostTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_worker_service_launches_calls_every_silo_and_leaves_nothing_when_the_host_stops()
    {
        var leaks = new ProcessLeakDetector();
        using var host = Worker(leaks, o => o.Silos = 2);
        await host.StartAsync(Token);
        var launcher = host.Services.GetRequiredService<IBatchClusterLauncher>();

        var cluster = await launcher.LaunchAsync(cancellationToken: Token);
        foreach (var silo in cluster.Silos)
        {
            (await cluster.GetGrainOnSilo<ISiloIdentityGrain>(silo).GetIdentityAsync()).SiloName.ShouldBe(silo.Name);
        }

        leaks.FindProcesses().Count.ShouldBe(2);

        // Stopping the host releases a cluster its code never shut down.
        await host.StopAsync(Token);
        await ((IAsyncDisposable)host).DisposeAsync();
        await leaks.AssertNoneLeftAsync();
        File.Exists(new Orleans.Batch.Hosting.Membership.Local.LocalMembershipOptions().GetTablePath(cluster.ClusterId)).ShouldBeFalse();
    }

    [Fact]
    public async Task Min_and_max_go_on_with_the_silos_that_came_up()
    {
        var leaks = new ProcessLeakDetector();
        var script = FailingSiloScript("local-1");
        try
        {
            using var host = Worker(leaks, o =>
            {
                o.Silos = 3;
                o.MinSilos = 2;
                o.LocalSiloProgram = ["/usr/bin/env", $"{ProcessLeakDetector.MarkerVariable}={leaks.Marker}", "/bin/sh", script];
            });
            await host.StartAsync(Token);

            await using var cluster = await host.Services.GetRequiredService<IBatchClusterLauncher>().LaunchAsync(cancellationToken: Token);

            cluster.Silos.Select(s => s.Name).Order().ShouldBe(["local-0", "local-2"]);
            await cluster.ShutdownAsync("the test is done", Token);
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task A_cancelled_launch_releases_what_it_started()
    {
        var leaks = new ProcessLeakDetector();
        using var host = Worker(leaks, o => o.Silos = 2);
        await host.StartAsync(Token);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => host.Services.GetRequiredService<IBatchClusterLauncher>().LaunchAsync(cancellationToken: cancel.Token));

        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Bad_settings_stop_the_host_from_starting_and_name_the_setting()
    {
        using var host = Worker(new ProcessLeakDetector(), o =>
        {
            o.Silos = 0;
            o.ClusterId = "../x";
        });

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Token));

        error.Failures.ShouldContain(f => f.StartsWith("OrleansBatch:Cluster:Silos must be between 1 and 10000", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("OrleansBatch:Cluster:ClusterId must start with a letter or a digit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_local_backends_limit_holds_for_every_host_not_only_the_command_line()
    {
        using var host = Worker(new ProcessLeakDetector(), o => o.Silos = Orleans.Batch.Hosting.Cluster.Backends.Local.LocalSiloLimit.ForThisMachine + 1);

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Token));

        error.Failures.ShouldContain(f => f.StartsWith("OrleansBatch:Cluster:Silos is ", StringComparison.Ordinal) && f.Contains("more than the local backend runs on this machine", StringComparison.Ordinal));
    }

    private static IHost Worker(ProcessLeakDetector leaks, Action<BatchClusterOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddOrleansBatchCluster(o =>
        {
            // The silos are our reference app's silo role; the marker lets the test find every process it started.
            o.LocalSiloProgram = ["/usr/bin/env", $"{ProcessLeakDetector.MarkerVariable}={leaks.Marker}", BatchEmulatorFixture.DotnetHost(), RepositoryPaths.LauncherDll];
            o.ClusterId = $"worker-{Guid.NewGuid():N}"[..20];
            configure(o);
        });
        return builder.Build();
    }

    // A silo program that fails for one silo name and runs the real silo for the others.
    private static string FailingSiloScript(string failingName)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orleans-batch-tests-silo-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, $"#!/bin/sh\n[ \"$OrleansBatch__Silo__Name\" = \"{failingName}\" ] && exit 3\nexec '{BatchEmulatorFixture.DotnetHost()}' '{RepositoryPaths.LauncherDll}' \"$@\"\n");
        return path;
    }
}
