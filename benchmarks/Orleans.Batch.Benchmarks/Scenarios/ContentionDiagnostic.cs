using System.Globalization;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// Not part of the table: more 4-silo clusters of ours with the file membership table's debug log on, to count
/// how often silos' membership writes lose a race (the etag or table version changed under them). Orleans retries
/// such a write only after a back-off of at least 2 s, so a conflict on the critical path costs seconds. Each
/// repetition tears one cluster down the normal way (every silo asked to stop at once), one by SIGTERM to one
/// silo at a time 100 ms apart, and one by SIGTERM to one silo at a time, each once the previous has exited:
/// what the conflicts cost, and whether spreading the stops avoids them.
/// </summary>
internal static class ContentionDiagnostic
{
    public const string Group = "diagnostic (ours, 4 silos, file membership debug log on; not in the table)";
    private const string Conflict = "lost a race (etag or version changed)";
    private static readonly TimeSpan Stagger = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(ScenarioContext context, int repetition)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging__LogLevel__Orleans.Batch.Hosting.Membership.Local"] = "Debug",
        };

        // Alternate the order of the three variants so none always runs first.
        Func<Task>[] variants =
        [
            () => AllAtOnceAsync(context, environment),
            () => OneByOneAsync(context, environment, waitForExit: false),
            () => OneByOneAsync(context, environment, waitForExit: true),
        ];
        for (var i = 0; i < variants.Length; i++)
        {
            await variants[(i + repetition) % variants.Length]();
        }
    }

    private static async Task AllAtOnceAsync(ScenarioContext context, Dictionary<string, string> environment)
    {
        await using var cluster = await context.LaunchAsync(Side.Ours, context.Settings.WorkloadSize, environment);
        var launchConflicts = Count(cluster);
        await DemoCalls.RunAsync(cluster, context.CancellationToken);
        var teardown = await cluster.TeardownAsync();
        var stopConflicts = Count(cluster) - launchConflicts;
        Record(context, "launch", cluster.LaunchDuration, launchConflicts);
        Record(context, "normal tear-down (every silo asked at once)", teardown.Duration, stopConflicts);
        context.Report($"  diagnostic: {launchConflicts} conflict(s) during the launch ({cluster.LaunchDuration.TotalSeconds:0.00} s), {stopConflicts} during a normal tear-down ({teardown.Duration.TotalSeconds:0.00} s)");
    }

    private static async Task OneByOneAsync(ScenarioContext context, Dictionary<string, string> environment, bool waitForExit)
    {
        await using var cluster = await context.LaunchAsync(Side.Ours, context.Settings.WorkloadSize, environment);
        var launchConflicts = Count(cluster);
        await DemoCalls.RunAsync(cluster, context.CancellationToken);
        var clock = Clock.StartNew();
        await using var watch = new ProcessExitWatch(cluster.Silos.Select(s => s.ProcessId).ToList(), clock);
        foreach (var silo in cluster.Silos)
        {
            Signals.Send(silo.ProcessId, Signals.Terminate);
            if (waitForExit)
            {
                while (ProcessTable.IsRunning(silo.ProcessId))
                {
                    await Task.Delay(5, context.CancellationToken);
                }
            }
            else
            {
                await Task.Delay(Stagger, context.CancellationToken);
            }
        }

        var gone = await watch.WaitAllGoneAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("Silos of the diagnostic were still running 30 s after SIGTERM.");
        await cluster.TeardownAsync();
        var stopConflicts = Count(cluster) - launchConflicts;
        var how = waitForExit
            ? "stop one silo at a time, each once the previous has exited"
            : string.Create(CultureInfo.InvariantCulture, $"stop one silo at a time, SIGTERM {Stagger.TotalMilliseconds:0} ms apart");
        Record(context, how, gone, stopConflicts);
        context.Report($"  diagnostic: {how}: every silo gone after {gone.TotalSeconds:0.00} s, {stopConflicts} conflict(s)");
    }

    private static void Record(ScenarioContext context, string what, TimeSpan duration, int conflicts)
    {
        context.Measurements.AddBreakdown(Group, what + ": seconds", Side.Ours, duration.TotalSeconds);
        context.Measurements.AddBreakdown(Group, what + ": membership write conflicts", Side.Ours, conflicts);
    }

    private static int Count(IBenchCluster cluster) => cluster.Silos.Sum(s => SiloLog.Count(s.LogPath, Conflict));
}
