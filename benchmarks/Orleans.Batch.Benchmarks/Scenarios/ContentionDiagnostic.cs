using System.Globalization;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// Not part of the table: two more 4-silo clusters of ours with the file membership table's debug log on, to
/// count how often silos' membership writes lose a race (the etag or table version changed under them). Orleans
/// retries such a write after a back-off of at least 2 s, so a conflict on the critical path costs seconds.
/// The first cluster is torn down the normal way (every silo asked to stop at once); the second by SIGTERM to
/// one silo at a time, 100 ms apart, to show what the conflicts cost.
/// </summary>
internal static class ContentionDiagnostic
{
    private const string Conflict = "lost a race (etag or version changed)";
    private static readonly TimeSpan Stagger = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(ScenarioContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging__LogLevel__Orleans.Batch.Hosting.Membership.Local"] = "Debug",
        };
        var siloCount = context.Settings.WorkloadSize;

        await using (var cluster = await context.LaunchAsync(Side.Ours, siloCount, environment))
        {
            var launchConflicts = Count(cluster, Conflict);
            await DemoCalls.RunAsync(cluster, context.CancellationToken);
            var teardown = await cluster.TeardownAsync();
            var stopConflicts = Count(cluster, Conflict) - launchConflicts;
            context.Measurements.Note(string.Create(
                CultureInfo.InvariantCulture,
                $"Diagnostic (ours, {siloCount} silos, file membership debug log on; not in the table): launch {cluster.LaunchDuration.TotalSeconds:0.00} s with {launchConflicts} membership write conflict(s) logged by the silos; normal tear-down (all silos asked at once) {teardown.Duration.TotalSeconds:0.00} s with {stopConflicts} conflict(s)."));
            context.Report($"  diagnostic: {launchConflicts} conflicts during launch, {stopConflicts} during a normal tear-down ({teardown.Duration.TotalSeconds:0.00} s)");
        }

        await using (var cluster = await context.LaunchAsync(Side.Ours, siloCount, environment))
        {
            var launchConflicts = Count(cluster, Conflict);
            await DemoCalls.RunAsync(cluster, context.CancellationToken);
            var clock = Clock.StartNew();
            await using var watch = new ProcessExitWatch(cluster.Silos.Select(s => s.ProcessId).ToList(), clock);
            foreach (var silo in cluster.Silos)
            {
                Signals.Send(silo.ProcessId, Signals.Terminate);
                await Task.Delay(Stagger, context.CancellationToken);
            }

            var gone = await watch.WaitAllGoneAsync(TimeSpan.FromSeconds(30));
            await cluster.TeardownAsync();
            var stopConflicts = Count(cluster, Conflict) - launchConflicts;
            context.Measurements.Note(string.Create(
                CultureInfo.InvariantCulture,
                $"Diagnostic (ours, {siloCount} silos; not in the table): stopping the silos one at a time (SIGTERM {Stagger.TotalMilliseconds:0} ms apart) had every silo process gone after {gone?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "more than 30"} s with {stopConflicts} membership write conflict(s)."));
            context.Report($"  diagnostic: staggered stop: all silos gone after {gone?.TotalSeconds:0.00} s with {stopConflicts} conflicts");
        }
    }

    private static int Count(IBenchCluster cluster, string text) => cluster.Silos.Sum(s => SiloLog.Count(s.LogPath, text));
}
