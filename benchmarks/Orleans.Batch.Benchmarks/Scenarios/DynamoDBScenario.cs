using System.Globalization;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// Membership on DynamoDB Local against the file table, both ours, in the same run: DynamoDB Local starts on a free
/// port (tests/tools/dynamodb-local.sh) and stops at the end. The manager and the silos reach it through two counting
/// proxies. First one unmeasured DynamoDB cluster (it creates the table) stays idle while its requests are counted
/// in slices of 10 s; then the launch scenario's steps (launch to ready, the demo calls, tear-down) alternate between
/// a DynamoDB cluster and a file-table cluster, changing which goes first every repetition.
/// </summary>
internal static class DynamoDBScenario
{
    /// <summary>Breakdown groups of this scenario start with this.</summary>
    public const string GroupPrefix = "DynamoDB scenario: ";

    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(10);

    /// <summary>The breakdown group of the idle cluster's requests.</summary>
    public static string IdleGroup(int silos) => string.Create(CultureInfo.InvariantCulture, $"{GroupPrefix}requests per minute by operation, {silos} idle silos (slices of {Slice.TotalSeconds:0} s)");

    /// <summary>The breakdown group of the requests of each launch and tear-down.</summary>
    public static string RequestsGroup(int silos) => string.Create(CultureInfo.InvariantCulture, $"{GroupPrefix}DynamoDB requests per launch and tear-down, {silos} silos");
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var cancellationToken = context.CancellationToken;
        var siloCount = settings.WorkloadSize;
        await using var dynamoDB = await DynamoDBLocal.StartAsync(context.Paths.RepositoryRoot, cancellationToken);
        await using var siloProxy = await CountingProxy.StartAsync(dynamoDB.ServiceUrl, cancellationToken);
        await using var managerProxy = await CountingProxy.StartAsync(dynamoDB.ServiceUrl, cancellationToken);
        using var direct = dynamoDB.CreateClient();
        var table = new DynamoDBMembership(managerProxy.Address, siloProxy.Address, direct);
        context.Report($"  DynamoDB Local at {dynamoDB.ServiceUrl}; silos through {siloProxy.Address}, the manager through {managerProxy.Address}");

        await MeasureIdleAsync(context, table, siloProxy, managerProxy, siloCount);

        for (var repetition = 0; repetition < settings.DynamoDBRepetitions && !cancellationToken.IsCancellationRequested; repetition++)
        {
            OursMembership[] order = repetition % 2 == 0 ? [table, OursMembership.File] : [OursMembership.File, table];
            foreach (var membership in order)
            {
                context.Report($"  repetition {repetition + 1}/{settings.DynamoDBRepetitions}: {siloCount} silos, {membership.Label}");
                await LaunchAndTearDownAsync(context, membership, siloCount, siloProxy, managerProxy);
            }
        }
    }

    /// <summary>An idle cluster's DynamoDB requests: per silo, and the manager's, per minute, by operation.</summary>
    private static async Task MeasureIdleAsync(ScenarioContext context, DynamoDBMembership table, CountingProxy siloProxy, CountingProxy managerProxy, int siloCount)
    {
        var measurements = context.Measurements;
        var slices = Math.Max(1, (int)Math.Round(context.Settings.DynamoDBIdleWindow / Slice));
        await using var cluster = await context.LaunchAsync(Side.Ours, siloCount, oursTable: table);
        context.Report($"  DynamoDB {siloCount} silo(s) ready in {cluster.LaunchDuration.TotalSeconds:0.00} s (unmeasured: it creates the table); counting idle requests for {slices} × {Slice.TotalSeconds:0} s");
        await DemoCalls.RunAsync(cluster, context.CancellationToken);
        await Task.Delay(Settle, context.CancellationToken);

        var perSilo = measurements.Define(Metrics.DynamoDBIdleRequestsPerSilo(siloCount, slices));
        var manager = measurements.Define(Metrics.DynamoDBIdleRequestsManager(siloCount, slices));
        var group = IdleGroup(siloCount);
        var silos = new List<Dictionary<string, long>>();
        var managers = new List<Dictionary<string, long>>();
        var minutes = new List<double>();
        var answersBefore = siloProxy.AnswerTimes();
        for (var slice = 0; slice < slices; slice++)
        {
            var silosBefore = siloProxy.Snapshot();
            var managerBefore = managerProxy.Snapshot();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Task.Delay(Slice, context.CancellationToken);
            minutes.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMinutes);
            silos.Add(CountingProxy.Difference(siloProxy.Snapshot(), silosBefore));
            managers.Add(CountingProxy.Difference(managerProxy.Snapshot(), managerBefore));
            context.Report(string.Create(CultureInfo.InvariantCulture,
                $"  idle slice {slice + 1}/{slices}: {silos[^1].Values.Sum() / (double)siloCount / minutes[^1]:0.0} requests per silo per minute ({Describe(silos[^1])} in all); manager {managers[^1].Values.Sum() / minutes[^1]:0.0} per minute ({Describe(managers[^1])})"));
        }

        var answersAfter = siloProxy.AnswerTimes();
        for (var slice = 0; slice < slices; slice++)
        {
            measurements.Add(perSilo, Side.Ours, silos[slice].Values.Sum() / (double)siloCount / minutes[slice]);
            measurements.Add(manager, Side.Ours, managers[slice].Values.Sum() / minutes[slice]);

            // Only the operations the idle cluster used; each slice gives a sample, zero included.
            foreach (var operation in silos.SelectMany(s => s).Where(p => p.Value > 0).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal))
            {
                measurements.AddBreakdown(group, $"per silo: {operation}", Side.Ours, silos[slice].GetValueOrDefault(operation) / (double)siloCount / minutes[slice]);
            }

            foreach (var operation in managers.SelectMany(s => s).Where(p => p.Value > 0).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal))
            {
                measurements.AddBreakdown(group, $"manager: {operation}", Side.Ours, managers[slice].GetValueOrDefault(operation) / minutes[slice]);
            }
        }

        if (answersAfter.Answered > answersBefore.Answered)
        {
            measurements.AddBreakdown(group, "DynamoDB Local's mean answer time to the silos (ms)", Side.Ours, (answersAfter.Total - answersBefore.Total).TotalMilliseconds / (answersAfter.Answered - answersBefore.Answered));
        }

        await cluster.TeardownAsync();
        SiloErrors.Note(measurements, cluster, "Ours with DynamoDB (idle cluster)");
    }

    private static async Task LaunchAndTearDownAsync(ScenarioContext context, OursMembership membership, int siloCount, CountingProxy siloProxy, CountingProxy managerProxy)
    {
        var measurements = context.Measurements;
        var isDynamoDB = membership is DynamoDBMembership;
        var column = isDynamoDB ? Side.Ours : Side.Baseline;
        var silosAtStart = siloProxy.Snapshot();
        var answersAtStart = siloProxy.AnswerTimes();
        var managerAtStart = managerProxy.Snapshot();
        await using var cluster = await context.LaunchAsync(Side.Ours, siloCount, oursTable: membership);
        var silosAtReady = siloProxy.Snapshot();
        var answersAtReady = siloProxy.AnswerTimes();
        var managerAtReady = managerProxy.Snapshot();
        context.Report($"    {membership.Label,-10} {siloCount} silo(s) ready in {cluster.LaunchDuration.TotalSeconds:0.00} s");
        await DemoCalls.RunAsync(cluster, context.CancellationToken);
        var silosAtTeardown = siloProxy.Snapshot();
        var managerAtTeardown = managerProxy.Snapshot();
        var teardown = await cluster.TeardownAsync();
        context.Report($"    {membership.Label,-10} {siloCount} silo(s) torn down in {teardown.Duration.TotalSeconds:0.00} s" + (teardown.Killed > 0 ? $" ({teardown.Killed} killed)" : string.Empty));

        measurements.Add(measurements.Define(Metrics.DynamoDBLaunch(siloCount)), column, cluster.LaunchDuration.TotalSeconds);
        measurements.Add(measurements.Define(Metrics.DynamoDBTeardown(siloCount)), column, teardown.Duration.TotalSeconds);
        Breakdown.RecordLaunch(measurements, cluster, column, GroupPrefix);
        Breakdown.RecordTeardown(measurements, cluster, teardown, "after the demo calls", column, GroupPrefix);
        if (isDynamoDB)
        {
            var group = RequestsGroup(siloCount);
            measurements.AddBreakdown(group, "launch: silos, all", Side.Ours, CountingProxy.Difference(silosAtReady, silosAtStart).Values.Sum());
            measurements.AddBreakdown(group, "launch: manager", Side.Ours, CountingProxy.Difference(managerAtReady, managerAtStart).Values.Sum());
            measurements.AddBreakdown(group, "tear-down: silos, all", Side.Ours, CountingProxy.Difference(siloProxy.Snapshot(), silosAtTeardown).Values.Sum());
            measurements.AddBreakdown(group, "tear-down: manager", Side.Ours, CountingProxy.Difference(managerProxy.Snapshot(), managerAtTeardown).Values.Sum());
            if (answersAtReady.Answered > answersAtStart.Answered)
            {
                measurements.AddBreakdown(group, "launch: DynamoDB Local's mean answer time to the silos (ms)", Side.Ours, (answersAtReady.Total - answersAtStart.Total).TotalMilliseconds / (answersAtReady.Answered - answersAtStart.Answered));
            }
        }

        if (teardown.Killed > 0)
        {
            measurements.Note($"{membership.Label}: {teardown.Killed} of {siloCount} silos had to be killed at tear-down.");
        }

        SiloErrors.Note(measurements, cluster, $"Ours with the {membership.Label}");
    }

    private static string Describe(Dictionary<string, long> requests) =>
        requests.Count == 0 ? "none" : string.Join(", ", requests.Where(r => r.Value > 0).OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"));
}
