using System.Globalization;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// Grain-call throughput and latency from the manager's client to the silos, ours and baseline side by side:
/// both clusters run at once (the idle one does only its membership heartbeats) and the load alternates between
/// them in one-second slices, so a busy moment of this shared machine hits both sides alike. Then each
/// cluster's peak memory is read and both are torn down, in alternating order: the tear-down-after-workload row.
/// </summary>
internal static class ThroughputScenario
{
    public static async Task RunAsync(ScenarioContext context, IReadOnlyList<Side> order)
    {
        var settings = context.Settings;
        var measurements = context.Measurements;
        var cancellationToken = context.CancellationToken;
        var siloCount = settings.WorkloadSize;
        var clusters = new List<IBenchCluster>();
        try
        {
            foreach (var side in order)
            {
                var cluster = await context.LaunchAsync(side, siloCount);
                clusters.Add(cluster);
                context.Report($"  {side,-8} {siloCount} silo(s) ready in {cluster.LaunchDuration.TotalSeconds:0.00} s");
                await DemoCalls.RunAsync(cluster, cancellationToken);
                await EchoLoad.ActivateAsync(cluster.Client, settings.EchoGrains, cancellationToken);
            }

            foreach (var inFlight in settings.InFlight)
            {
                var results = await SideBySideLoad.MeasureAsync(context, clusters, inFlight);
                foreach (var cluster in clusters)
                {
                    var (callsPerSecond, p50, p99, calls) = results[cluster.Side];
                    measurements.Add(measurements.Define(Metrics.Throughput(siloCount, inFlight)), cluster.Side, callsPerSecond);
                    measurements.Add(measurements.Define(Metrics.LatencyP50(siloCount, inFlight)), cluster.Side, p50);
                    measurements.Add(measurements.Define(Metrics.LatencyP99(siloCount, inFlight)), cluster.Side, p99);
                    context.Report(string.Create(CultureInfo.InvariantCulture, $"  {cluster.Side,-8} {inFlight,4} in flight: {callsPerSecond,8:0} calls/s, p50 {p50:0.000} ms, p99 {p99:0.000} ms ({calls} calls)"));
                }
            }

            var memory = measurements.Define(Metrics.PeakMemory(siloCount, "after the throughput workload"));
            foreach (var cluster in clusters)
            {
                foreach (var silo in cluster.Silos)
                {
                    measurements.Add(memory, cluster.Side, ProcessTable.ReadPeakResidentKib(silo.ProcessId) / 1024.0);
                }
            }

            foreach (var cluster in clusters)
            {
                var teardown = await cluster.TeardownAsync();
                measurements.Add(measurements.Define(Metrics.Teardown(siloCount, "the throughput workload", "workload")), cluster.Side, teardown.Duration.TotalSeconds);
                Breakdown.RecordTeardown(measurements, cluster, teardown, "after the throughput workload");
                context.Report($"  {cluster.Side,-8} {siloCount} silo(s) torn down in {teardown.Duration.TotalSeconds:0.00} s after the workload");
            }
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
