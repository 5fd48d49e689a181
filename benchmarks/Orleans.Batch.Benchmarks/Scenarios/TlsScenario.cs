using System.Globalization;
using Orleans.Batch.Benchmarks.Clusters;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// What cluster TLS costs: ours with TLS (the "ours" column) against ours without (the "baseline" column), launched
/// one after the other in alternating order, then loaded side by side in alternating one-second slices.
/// </summary>
internal static class TlsScenario
{
    public static async Task RunAsync(ScenarioContext context, int repetition)
    {
        var settings = context.Settings;
        var measurements = context.Measurements;
        var siloCount = settings.WorkloadSize;
        var clusters = new List<IBenchCluster>();

        // Side.Ours is the TLS cluster here, Side.Baseline the same cluster without TLS.
        Side[] order = repetition % 2 == 0 ? [Side.Ours, Side.Baseline] : [Side.Baseline, Side.Ours];
        try
        {
            foreach (var side in order)
            {
                var cluster = await context.LaunchAsync(Side.Ours, siloCount, oursTls: side == Side.Ours);
                clusters.Add(new RelabelledCluster(cluster, side));
                measurements.Add(measurements.Define(Metrics.TlsLaunch(siloCount)), side, cluster.LaunchDuration.TotalSeconds);
                context.Report($"  {Label(side),-11} {siloCount} silo(s) ready in {cluster.LaunchDuration.TotalSeconds:0.00} s");
                await EchoLoad.ActivateAsync(cluster.Client, settings.EchoGrains, context.CancellationToken);
            }

            foreach (var inFlight in settings.InFlight)
            {
                var results = await SideBySideLoad.MeasureAsync(context, clusters, inFlight);
                foreach (var cluster in clusters)
                {
                    var (callsPerSecond, _, p99, calls) = results[cluster.Side];
                    measurements.Add(measurements.Define(Metrics.TlsThroughput(siloCount, inFlight)), cluster.Side, callsPerSecond);
                    measurements.Add(measurements.Define(Metrics.TlsLatencyP99(siloCount, inFlight)), cluster.Side, p99);
                    context.Report(string.Create(CultureInfo.InvariantCulture, $"  {Label(cluster.Side),-11} {inFlight,4} in flight: {callsPerSecond,8:0} calls/s, p99 {p99:0.000} ms ({calls} calls)"));
                }
            }

            foreach (var cluster in clusters)
            {
                await cluster.TeardownAsync();
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

    private static string Label(Side side) => side == Side.Ours ? "TLS" : "without TLS";

    /// <summary>One of our clusters, reported under the side the TLS rows give it.</summary>
    private sealed class RelabelledCluster(IBenchCluster inner, Side side) : IBenchCluster
    {
        public Side Side => side;

        public IClusterClient Client => inner.Client;

        public IReadOnlyList<BenchSilo> Silos => inner.Silos;

        public TimeSpan LaunchDuration => inner.LaunchDuration;

        public Timeline LaunchTimeline => inner.LaunchTimeline;

        public Infrastructure.Clock LaunchClock => inner.LaunchClock;

        public IReadOnlyCollection<string> SiloErrors => inner.SiloErrors;

        public Task<TeardownResult> TeardownAsync() => inner.TeardownAsync();

        public Task<bool?> TableShowsDeadAsync(BenchSilo silo, CancellationToken cancellationToken) => inner.TableShowsDeadAsync(silo, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
