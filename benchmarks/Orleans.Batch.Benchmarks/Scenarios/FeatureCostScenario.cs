using System.Globalization;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// What an optional feature (cluster TLS, the dashboard) costs: ours with it (the "ours" column) against ours without
/// (the "baseline" column), launched one after the other in alternating order, then loaded side by side in alternating
/// one-second slices.
/// </summary>
internal static class FeatureCostScenario
{
    public static async Task RunAsync(ScenarioContext context, CostedFeature feature, int repetition)
    {
        var settings = context.Settings;
        var measurements = context.Measurements;
        var siloCount = settings.WorkloadSize;
        var clusters = new List<IBenchCluster>();
        var extras = new List<IAsyncDisposable>();

        // Side.Ours is the cluster with the feature here, Side.Baseline the same cluster without it.
        Side[] order = repetition % 2 == 0 ? [Side.Ours, Side.Baseline] : [Side.Baseline, Side.Ours];
        try
        {
            foreach (var side in order)
            {
                var cluster = await context.LaunchAsync(Side.Ours, siloCount, oursTls: side == Side.Ours && feature.Tls, oursDashboard: side == Side.Ours && feature.Dashboard);
                clusters.Add(new RelabelledCluster(cluster, side));
                measurements.Add(measurements.Define(feature.LaunchMetric(siloCount)), side, cluster.LaunchDuration.TotalSeconds);
                context.Report($"  {feature.Label(side),-17} {siloCount} silo(s) ready in {cluster.LaunchDuration.TotalSeconds:0.00} s");
                await EchoLoad.ActivateAsync(cluster.Client, settings.EchoGrains, context.CancellationToken);
                if (side == Side.Ours && feature.WhileRunning is { } start)
                {
                    extras.Add(await start(cluster, context.CancellationToken));
                }
            }

            foreach (var inFlight in settings.InFlight)
            {
                var results = await SideBySideLoad.MeasureAsync(context, clusters, inFlight);
                foreach (var cluster in clusters)
                {
                    var (callsPerSecond, _, p99, calls) = results[cluster.Side];
                    measurements.Add(measurements.Define(feature.ThroughputMetric(siloCount, inFlight)), cluster.Side, callsPerSecond);
                    measurements.Add(measurements.Define(feature.LatencyP99Metric(siloCount, inFlight)), cluster.Side, p99);
                    context.Report(string.Create(CultureInfo.InvariantCulture, $"  {feature.Label(cluster.Side),-17} {inFlight,4} in flight: {callsPerSecond,8:0} calls/s, p99 {p99:0.000} ms ({calls} calls)"));
                }
            }

            foreach (var extra in extras)
            {
                await extra.DisposeAsync();
            }

            extras.Clear();
            foreach (var cluster in clusters)
            {
                await cluster.TeardownAsync();
            }
        }
        finally
        {
            foreach (var extra in extras)
            {
                await extra.DisposeAsync();
            }

            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>One of our clusters, reported under the side the feature's rows give it.</summary>
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

/// <summary>An optional feature whose cost <see cref="FeatureCostScenario"/> measures, with its rows.</summary>
/// <param name="Name">What the feature is called in labels ("TLS").</param>
/// <param name="Tls">The cluster with the feature uses cluster TLS.</param>
/// <param name="Dashboard">The cluster with the feature publishes the dashboard's statistics.</param>
/// <param name="LaunchMetric">The launch row.</param>
/// <param name="ThroughputMetric">The throughput rows.</param>
/// <param name="LatencyP99Metric">The p99 rows.</param>
/// <param name="WhileRunning">Started once the cluster with the feature is up, disposed before tear-down.</param>
internal sealed record CostedFeature(
    string Name,
    bool Tls,
    bool Dashboard,
    Func<int, Metric> LaunchMetric,
    Func<int, int, Metric> ThroughputMetric,
    Func<int, int, Metric> LatencyP99Metric,
    Func<IBenchCluster, CancellationToken, Task<IAsyncDisposable>>? WhileRunning = null)
{
    /// <summary>Cluster TLS on every connection.</summary>
    public static CostedFeature ClusterTls { get; } = new("TLS", Tls: true, Dashboard: false, Metrics.TlsLaunch, Metrics.TlsThroughput, Metrics.TlsLatencyP99);

    /// <summary>The dashboard: the silos' profiler and statistics, and the manager's page polled as a browser does.</summary>
    public static CostedFeature OrleansDashboard { get; } = new(
        "dashboard", Tls: false, Dashboard: true, Metrics.DashboardLaunch, Metrics.DashboardThroughput, Metrics.DashboardLatencyP99, DashboardPageLoad.StartAsync);

    /// <summary>The dashboard enabled (the silos publish it) with no page open: its call profiler sleeps until a page asks.</summary>
    public static CostedFeature OrleansDashboardClosed { get; } = new(
        "dashboard closed", Tls: false, Dashboard: true, Metrics.DashboardClosedLaunch, Metrics.DashboardClosedThroughput, Metrics.DashboardClosedLatencyP99);

    public string Label(Side side) => side == Side.Ours ? Name : $"without {Name}";
}
