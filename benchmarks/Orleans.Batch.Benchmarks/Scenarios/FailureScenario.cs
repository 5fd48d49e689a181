using System.Diagnostics;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Launcher.Grains.Echo;
using Orleans.Runtime;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// SIGKILL one silo (the last one; on the baseline never the primary, whose loss would end the development
/// membership table) and measure, from the signal:
/// <list type="bullet">
/// <item>declared dead: the first moment <c>IManagementGrain.GetHosts(onlyActive: true)</c>, asked by the
/// client every 50 ms, no longer lists the silo (the management grain re-reads the membership table on each call);</item>
/// <item>rerouted: the first moment a call to an echo grain that was active on the killed silo succeeds (a new
/// call is started every 50 ms; the time is when the first successful one returns), checked to run elsewhere.</item>
/// </list>
/// </summary>
internal static class FailureScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(ScenarioContext context, Side side)
    {
        var measurements = context.Measurements;
        var siloCount = context.Settings.WorkloadSize;
        var cancellationToken = context.CancellationToken;
        await using var cluster = await context.LaunchAsync(side, siloCount);
        var cpuAtReady = cluster.Silos.Select(s => ProcessTable.ReadCpuSeconds(s.ProcessId)).ToList();
        var client = cluster.Client;
        var management = client.GetGrain<IManagementGrain>(0);
        var victim = cluster.Silos[^1];
        var hosts = await management.GetDetailedHosts(onlyActive: true);
        var victimAddress = hosts.Single(h => h.SiloName == victim.Name).SiloAddress;

        // An echo grain that lives on the victim.
        var victimKey = -1;
        for (var key = 0; key < 400 && victimKey < 0; key++)
        {
            var grain = client.GetGrain<IEchoGrain>(100_000 + key);
            await grain.EchoAsync(key);
            if (victimAddress.Equals(await management.GetActivationAddress(grain)))
            {
                victimKey = 100_000 + key;
            }
        }

        if (victimKey < 0)
        {
            throw new InvalidOperationException($"None of 400 echo grains was placed on {victim.Name}.");
        }

        // Let every silo's failure detector settle on its monitoring set before the kill.
        var cpuBefore = cluster.Silos.Select(s => ProcessTable.ReadCpuSeconds(s.ProcessId)).ToList();
        var settleClock = Stopwatch.GetTimestamp();
        await Task.Delay(Settle, cancellationToken);
        var settled = Stopwatch.GetElapsedTime(settleClock).TotalSeconds;
        var idle = measurements.Define(Metrics.IdleCpu(siloCount));
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            measurements.Add(idle, side, 100 * (ProcessTable.ReadCpuSeconds(cluster.Silos[i].ProcessId) - cpuBefore[i]) / settled);
        }

        var start = Stopwatch.GetTimestamp();
        Signals.Send(victim.ProcessId, Signals.Kill);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.Settings.FailureTimeout);

        var dead = WaitDeclaredDeadAsync(management, victimAddress, start, timeout.Token);
        var rerouted = WaitReroutedAsync(client, victimKey, start, timeout.Token);
        var table = WaitTableShowsDeadAsync(cluster, victim, start, timeout.Token);
        await Task.WhenAll(dead, rerouted, table);

        var newHome = await management.GetActivationAddress(client.GetGrain<IEchoGrain>(victimKey));
        if (victimAddress.Equals(newHome))
        {
            throw new InvalidOperationException($"Echo grain {victimKey} still resolves to the killed silo {victimAddress}.");
        }

        measurements.Add(measurements.Define(Metrics.FailureDeclaredDead(siloCount)), side, (await dead).TotalSeconds);
        measurements.Add(measurements.Define(Metrics.FailureRerouted(siloCount)), side, (await rerouted).TotalSeconds);
        if (await table is { } tableDead)
        {
            measurements.AddBreakdown($"failure, {siloCount} silos: moments from SIGKILL (s)", "membership file shows the silo Dead (ours only)", side, tableDead.TotalSeconds);
        }

        measurements.Add(measurements.Define(Metrics.Launch(siloCount)), side, cluster.LaunchDuration.TotalSeconds);
        var cpu = measurements.Define(Metrics.LaunchCpu(siloCount));
        foreach (var seconds in cpuAtReady)
        {
            measurements.Add(cpu, side, seconds);
        }

        Breakdown.RecordLaunch(measurements, cluster);
        context.Report($"  {side,-8} killed {victim.Name}: GetHosts dropped it after {(await dead).TotalSeconds:0.00} s, its grain answered from {newHome} after {(await rerouted).TotalSeconds:0.00} s");

        var teardown = await cluster.TeardownAsync();
        SiloErrors.Note(measurements, cluster);
        context.Report($"  {side,-8} {siloCount - 1} surviving silo(s) torn down in {teardown.Duration.TotalSeconds:0.00} s");
    }

    private static async Task<TimeSpan> WaitDeclaredDeadAsync(IManagementGrain management, SiloAddress victim, long start, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                if (!hosts.ContainsKey(victim))
                {
                    return Stopwatch.GetElapsedTime(start);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A call routed through the dead silo's gateway fails or times out; ask again.
            }

            await Task.Delay(Readiness.PollInterval, cancellationToken);
        }
    }

    private static async Task<TimeSpan> WaitReroutedAsync(IClusterClient client, int key, long start, CancellationToken cancellationToken)
    {
        var first = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = new List<Task>();
        using var registration = cancellationToken.Register(() => first.TrySetCanceled(cancellationToken));
        var grain = client.GetGrain<IEchoGrain>(key);
        var sequence = 0;
        while (!first.Task.IsCompleted)
        {
            var value = ++sequence;
            attempts.Add(Task.Run(async () =>
            {
                try
                {
                    if (await grain.EchoAsync(value) == value)
                    {
                        first.TrySetResult(Stopwatch.GetElapsedTime(start));
                    }
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // Routed to the dead silo: rejected or timed out. A later attempt will get through.
                }
            }, CancellationToken.None));
            await Task.WhenAny(first.Task, Task.Delay(Readiness.PollInterval, CancellationToken.None));
        }

        return await first.Task;
    }

    private static async Task<TimeSpan?> WaitTableShowsDeadAsync(IBenchCluster cluster, BenchSilo victim, long start, CancellationToken cancellationToken)
    {
        while (true)
        {
            var dead = await cluster.TableShowsDeadAsync(victim, cancellationToken);
            if (dead is null)
            {
                return null;
            }

            if (dead.Value)
            {
                return Stopwatch.GetElapsedTime(start);
            }

            await Task.Delay(Readiness.PollInterval, cancellationToken);
        }
    }
}
