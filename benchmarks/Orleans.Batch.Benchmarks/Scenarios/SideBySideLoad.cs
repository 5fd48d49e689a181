using Orleans.Batch.Benchmarks.Clusters;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// Echo load on two clusters that run at once, alternating in one-second slices (and alternating which goes first in
/// each pair of slices), so a busy moment of this shared machine hits both alike.
/// </summary>
internal static class SideBySideLoad
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);

    /// <summary>Warms each cluster up, then measures calls per second, p50 and p99 (ms) per side at <paramref name="inFlight"/>.</summary>
    public static async Task<Dictionary<Side, (double CallsPerSecond, double P50, double P99, long Calls)>> MeasureAsync(
        ScenarioContext context, IReadOnlyList<IBenchCluster> clusters, int inFlight)
    {
        var settings = context.Settings;
        var cancellationToken = context.CancellationToken;
        foreach (var cluster in clusters)
        {
            await EchoLoad.RunAsync(cluster.Client, inFlight, settings.EchoGrains, settings.ThroughputWarmup, null, cancellationToken);
        }

        var slices = Math.Max(1, (int)Math.Round(settings.ThroughputDuration / Slice));
        var totals = clusters.ToDictionary(c => c.Side, _ => new EchoTotals());
        for (var slice = 0; slice < slices; slice++)
        {
            var sequence = slice % 2 == 0 ? clusters : [.. Enumerable.Reverse(clusters)];
            foreach (var cluster in sequence)
            {
                await EchoLoad.RunAsync(cluster.Client, inFlight, settings.EchoGrains, Slice, totals[cluster.Side], cancellationToken);
            }
        }

        return totals.ToDictionary(t => t.Key, t =>
        {
            var (callsPerSecond, p50, p99) = t.Value.Summarize();
            return (callsPerSecond, p50, p99, t.Value.Calls);
        });
    }
}
