using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>Records where a launch's and a tear-down's time went: harness-side moments and the silos' own log lines.</summary>
internal static class Breakdown
{
    private static readonly string[] LaunchMilestones = ["Orleans silo starting", "membership: joining", "membership: active", "Orleans silo started"];
    private static readonly string[] StopMilestones = ["Orleans silo stopping", "Orleans silo stopped"];

    /// <summary>Silos whose join (joining → active) takes this long have met at least one membership write conflict (Orleans backs off 2 s or more).</summary>
    public static readonly TimeSpan ContentionJoin = TimeSpan.FromSeconds(1.9);

    /// <param name="measurements">Where to record.</param>
    /// <param name="cluster">The cluster just launched.</param>
    /// <param name="side">The column to record in; the cluster's side by default.</param>
    /// <param name="groupPrefix">Put before the group names (scenarios other than launch keep their own groups).</param>
    public static void RecordLaunch(Measurements measurements, IBenchCluster cluster, Side? side = null, string groupPrefix = "")
    {
        var column = side ?? cluster.Side;
        var group = $"{groupPrefix}launch, {cluster.Silos.Count} silo(s): moments from the start of the launch (s)";
        foreach (var mark in cluster.LaunchTimeline.Marks)
        {
            measurements.AddBreakdown(group, "harness: " + mark.Key, column, mark.Value.TotalSeconds);
        }

        var logs = cluster.Silos.Select(s => SiloLog.Read(s.LogPath, cluster.LaunchClock)).ToList();
        foreach (var milestone in LaunchMilestones)
        {
            AddSpread(measurements, group, "silo log: " + milestone, column, logs.Select(l => l.GetValueOrDefault(milestone, TimeSpan.MinValue)));
        }

        var joins = logs
            .Where(l => l.ContainsKey("membership: joining") && l.ContainsKey("membership: active"))
            .Select(l => l["membership: active"] - l["membership: joining"])
            .ToList();
        if (joins.Count > 0)
        {
            var durations = $"{groupPrefix}launch, {cluster.Silos.Count} silo(s): durations (s)";
            measurements.AddBreakdown(durations, "join (joining → active), typical silo", column, Median(joins.Select(j => j.TotalSeconds)));
            measurements.AddBreakdown(durations, "join (joining → active), slowest silo", column, joins.Max().TotalSeconds);
            measurements.AddBreakdown(durations, "silos whose join took ≥ 1.9 s (count per launch)", column, joins.Count(j => j >= ContentionJoin));
        }
    }

    public static void RecordTeardown(Measurements measurements, IBenchCluster cluster, TeardownResult teardown, string after, Side? side = null, string groupPrefix = "")
    {
        var column = side ?? cluster.Side;
        var group = $"{groupPrefix}tear-down, {cluster.Silos.Count} silo(s) {after}: moments from the start of the tear-down (s)";
        foreach (var mark in teardown.Timeline.Marks)
        {
            measurements.AddBreakdown(group, "harness: " + mark.Key, column, mark.Value.TotalSeconds);
        }

        var logs = cluster.Silos.Select(s => SiloLog.Read(s.LogPath, teardown.Clock)).ToList();
        foreach (var milestone in StopMilestones)
        {
            AddSpread(measurements, group, "silo log: " + milestone, column, logs.Select(l => l.GetValueOrDefault(milestone, TimeSpan.MinValue)));
        }

        var stops = logs
            .Where(l => l.ContainsKey("Orleans silo stopping") && l.ContainsKey("Orleans silo stopped"))
            .Select(l => l["Orleans silo stopped"] - l["Orleans silo stopping"])
            .ToList();
        if (stops.Count > 0)
        {
            var durations = $"{groupPrefix}tear-down, {cluster.Silos.Count} silo(s) {after}: durations (s)";
            measurements.AddBreakdown(durations, "Orleans silo stop (stopping → stopped), typical silo", column, Median(stops.Select(s => s.TotalSeconds)));
            measurements.AddBreakdown(durations, "Orleans silo stop (stopping → stopped), slowest silo", column, stops.Max().TotalSeconds);
            measurements.AddBreakdown(durations, "silos whose stop took ≥ 1.9 s (count per tear-down)", column, stops.Count(s => s >= ContentionJoin));
        }
    }

    private static void AddSpread(Measurements measurements, string group, string item, Side side, IEnumerable<TimeSpan> offsets)
    {
        var values = offsets.Where(o => o != TimeSpan.MinValue).Select(o => o.TotalSeconds).ToList();
        if (values.Count == 0)
        {
            return;
        }

        measurements.AddBreakdown(group, item + ", typical silo", side, Median(values));
        if (values.Count > 1)
        {
            measurements.AddBreakdown(group, item + ", last silo", side, values.Max());
        }
    }

    private static double Median(IEnumerable<double> values) => Stats.Of(values.ToList())!.Median;
}
