using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// Launch N silos to ready, run the demo calls (one silo-targeted call per silo), read each silo's peak memory,
/// and tear down: the launch, tear-down-after-demo and idle-memory rows. Each cluster runs alone on the machine.
/// </summary>
internal static class LaunchScenario
{
    public static async Task RunAsync(ScenarioContext context, Side side, int siloCount, bool measured = true)
    {
        var measurements = context.Measurements;
        await using var cluster = await context.LaunchAsync(side, siloCount);
        var cpuAtReady = cluster.Silos.Select(s => ProcessTable.ReadCpuSeconds(s.ProcessId)).ToList();
        context.Report($"  {side,-8} {siloCount} silo(s) ready in {cluster.LaunchDuration.TotalSeconds:0.00} s");
        await DemoCalls.RunAsync(cluster, context.CancellationToken);

        // Peak memory over the whole life of each silo process, read just before tear-down.
        var peaks = cluster.Silos.Select(s => ProcessTable.ReadPeakResidentKib(s.ProcessId) / 1024.0).ToList();
        var teardown = await cluster.TeardownAsync();
        context.Report($"  {side,-8} {siloCount} silo(s) torn down in {teardown.Duration.TotalSeconds:0.00} s" + (teardown.Killed > 0 ? $" ({teardown.Killed} killed)" : string.Empty));
        if (!measured)
        {
            return;
        }

        measurements.Add(measurements.Define(Metrics.Launch(siloCount)), side, cluster.LaunchDuration.TotalSeconds);
        var cpu = measurements.Define(Metrics.LaunchCpu(siloCount));
        foreach (var seconds in cpuAtReady)
        {
            measurements.Add(cpu, side, seconds);
        }

        measurements.Add(measurements.Define(Metrics.Teardown(siloCount, "the demo calls", "demo")), side, teardown.Duration.TotalSeconds);
        if (siloCount == 1)
        {
            var memory = measurements.Define(Metrics.PeakMemory(siloCount, "idle after the demo call"));
            foreach (var peak in peaks)
            {
                measurements.Add(memory, side, peak);
            }
        }

        Breakdown.RecordLaunch(measurements, cluster);
        Breakdown.RecordTeardown(measurements, cluster, teardown, "after the demo calls");
        if (teardown.Killed > 0)
        {
            measurements.Note($"{side}: {teardown.Killed} of {siloCount} silos had to be killed at tear-down.");
        }

        SiloErrors.Note(measurements, cluster);
    }
}
