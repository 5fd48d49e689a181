using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Benchmarks.Scenarios;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.DynamoDB;

namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>
/// Membership at scale on DynamoDB Local, through the counting proxy enforcing one partition's limits: real silo
/// processes where they fit (their per-silo request mix), then simulated silos (<see cref="SimulatedSilo"/>) up to a
/// thousand and more, all started together. For each size: the join (last silo Active, from the start), then a steady
/// window long enough to include every periodic call, with read and write units per second, requests, throttles and
/// the cost at on-demand prices.
/// </summary>
internal static class ScaleScenario
{
    /// <summary>us-east-1 on-demand prices: $0.125 per million read request units, $0.625 per million write request units.</summary>
    public static readonly ScalePrices Prices = new(0.125e-6, 0.625e-6, "c7g.medium (1 vCPU, 2 GiB; on demand)", 0.0363);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<ScaleResult>> RunAsync(ScenarioContext context, IReadOnlyList<int> realSizes, IReadOnlyList<int> simulatedSizes, TimeSpan joinLimit)
    {
        var cancellationToken = context.CancellationToken;
        await using var dynamoDB = await DynamoDBLocal.StartAsync(context.Paths.RepositoryRoot, cancellationToken);
        await using var proxy = await CountingProxy.StartAsync(dynamoDB.ServiceUrl, cancellationToken, new CapacityLimits());

        // The manager's requests pass a second proxy first, so that they can be told apart from the silos' (the
        // partition's limits apply to both together, in the first).
        await using var managerProxy = await CountingProxy.StartAsync(proxy.Address, cancellationToken);
        using var direct = dynamoDB.CreateClient();
        context.Report($"  DynamoDB Local at {dynamoDB.ServiceUrl}; silos through {proxy.Address}, limited to one partition (3,000 read and 1,000 write units per second); the manager through {managerProxy.Address} and then the same");
        var results = new List<ScaleResult>();

        var table = new DynamoDBMembership(managerProxy.Address, proxy.Address, direct);
        foreach (var silos in realSizes)
        {
            try
            {
                results.Add(await RealAsync(context, proxy, managerProxy, table, silos));
            }
            catch (Hosting.Cluster.ClusterLaunchException exception)
            {
                // Real silos share this machine's cores: a size that does not fit is a finding, not the end of the run.
                context.Measurements.Note($"Scale: {silos} real silo processes did not all become active on this machine: {exception.Reason}");
                context.Report($"  real: {silos} silo processes did not all become active: {exception.Reason}");
            }
        }

        foreach (var silos in simulatedSizes)
        {
            results.Add(await SimulatedAsync(context, proxy, managerProxy, silos, joinLimit));
        }

        return results;
    }

    /// <summary>The model's steady-state reads and writes per second at <paramref name="silos"/> silos, from the measured mean full read.</summary>
    public static (double Reads, double Writes) Model(int silos, double fullReadUnitsPerRow)
    {
        var scale = MembershipScale.For(silos);
        var reads = silos * ((1 / scale.TableRefresh.TotalSeconds)
            + (silos * fullReadUnitsPerRow / (scale.SnapshotReuse.TotalSeconds * 0.875))
            + (1 / scale.LeaseCheck(TimeSpan.FromMinutes(1)).TotalSeconds));
        var writes = silos / scale.IAmAlivePublish.TotalSeconds;
        return (reads, writes);
    }

    public static double CostPerHour(double reads, double writes) => 3600 * ((reads * Prices.ReadRequestUnit) + (writes * Prices.WriteRequestUnit));

    private static async Task<ScaleResult> RealAsync(ScenarioContext context, CountingProxy proxy, CountingProxy managerProxy, DynamoDBMembership table, int silos)
    {
        var start = proxy.CurrentSecond;
        await using var cluster = await context.LaunchAsync(Side.Ours, silos, oursTable: table);
        context.Report(string.Create(CultureInfo.InvariantCulture, $"  real: {silos} silo processes ready in {cluster.LaunchDuration.TotalSeconds:0.0} s"));
        var result = await SteadyAsync(context, proxy, managerProxy, silos, "real", cluster.LaunchDuration.TotalSeconds, silos, start, Window(silos, context.Settings.Quick));
        await cluster.TeardownAsync();
        SiloErrors.Note(context.Measurements, cluster, $"Scale: {silos} real silos");
        return result;
    }

    private static async Task<ScaleResult> SimulatedAsync(ScenarioContext context, CountingProxy proxy, CountingProxy managerProxy, int silos, TimeSpan joinLimit)
    {
        var cancellationToken = context.CancellationToken;
        var clusterId = $"scale-{silos}-{Guid.NewGuid():N}"[..24];
        var options = new DynamoDBMembershipOptions { ServiceUrl = proxy.Address, CreateIfNotExists = true, SnapshotReuse = MembershipScale.For(silos).SnapshotReuse, ChangeLogLength = MembershipScale.For(silos).ChangeLogLength };
        using var client = DynamoDBClientFactory.Create(options);
        await DynamoDBTableProvisioner.EnsureTableAsync(client, options, context.LoggerFactory.CreateLogger("scale"), TimeProvider.System, cancellationToken);

        // The manager: its lease (so the silos' lease checks read a real item), its monitor and its gateway list.
        var managerOptions = new DynamoDBMembershipOptions { ServiceUrl = managerProxy.Address };
        using var managerClient = DynamoDBClientFactory.Create(managerOptions);
        await using var manager = new SimulatedManager(clusterId, managerClient, managerOptions, silos, TimeSpan.FromMinutes(1), context.LoggerFactory);
        await manager.StartAsync(cancellationToken);

        var scale = MembershipScale.For(silos);
        var timings = new TransitionTimings();
        var sims = Enumerable.Range(0, silos).Select(i => new SimulatedSilo(i, clusterId, client, options, scale, TimeSpan.FromMinutes(1), context.LoggerFactory) { Timings = timings }).ToList();
        var start = proxy.CurrentSecond;
        var started = Stopwatch.GetTimestamp();
        using var joinTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        joinTimeout.CancelAfter(joinLimit);
        var joins = sims.Select(s => Task.Run(() => s.StartAsync(started, joinTimeout.Token), CancellationToken.None)).ToList();
        var joined = Task.WhenAll(joins);
        var requestsBefore = proxy.Snapshot();
        while (await Task.WhenAny(joined, Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None)) != joined)
        {
            // Which requests the partition served meanwhile, per second: what the join spends its capacity on.
            var requestsNow = proxy.Snapshot();
            var rates = string.Join(", ", CountingProxy.Difference(requestsNow, requestsBefore).Where(r => r.Value > 0).OrderByDescending(r => r.Value)
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value / 30.0:0}")));
            requestsBefore = requestsNow;
            context.Report(string.Create(CultureInfo.InvariantCulture, $"    {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s: {sims.Count(s => s.ActiveAfter is not null)} of {silos} active; {timings}; requests/s: {rates}"));
        }

        await joined.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var active = sims.Count(s => s.ActiveAfter is not null);
        double? join = active == silos ? sims.Max(s => s.ActiveAfter!.Value).TotalSeconds : null;
        var outcome = join is { } last
            ? string.Create(CultureInfo.InvariantCulture, $", the last after {last:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $" within the {joinLimit.TotalSeconds:0} s limit");
        context.Report($"  simulated: {active} of {silos} silos active{outcome}; {timings}");
        if (join is null)
        {
            context.Measurements.Note(string.Create(CultureInfo.InvariantCulture, $"Scale: only {active} of {silos} simulated silos became Active within {joinLimit.TotalSeconds:0} s."));
        }

        ScaleResult result;
        try
        {
            result = await SteadyAsync(context, proxy, managerProxy, silos, "simulated", join, active, start, Window(silos, context.Settings.Quick));
        }
        finally
        {
            using var stopTimeout = new CancellationTokenSource(joinLimit);
            await Task.WhenAll(sims.Select(s => s.StopAsync(stopTimeout.Token))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var sim in sims)
            {
                await sim.DisposeAsync();
            }

            using var table = new DynamoDBMembershipTable(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new Orleans.Configuration.ClusterOptions { ClusterId = clusterId }), context.LoggerFactory, TimeProvider.System, client);
            await table.DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);
        }

        return result;
    }

    // At least a minute (several of every period, so the counts per silo are not one or two calls), and long enough
    // to include each silo's full partition read (every SnapshotReuse) at least once; the quick set stops at a minute.
    private static TimeSpan Window(int silos, bool quick)
    {
        var scale = MembershipScale.For(silos);
        var seconds = Math.Max(60, (scale.SnapshotReuse + (scale.TableRefresh * 2)).TotalSeconds);
        return TimeSpan.FromSeconds(quick ? 60 : seconds);
    }

    private static async Task<ScaleResult> SteadyAsync(ScenarioContext context, CountingProxy proxy, CountingProxy managerProxy, int silos, string kind, double? join, int active, long start, TimeSpan window)
    {
        await Task.Delay(Settle, context.CancellationToken);
        var from = proxy.CurrentSecond;
        var before = proxy.Snapshot();
        var managerBefore = managerProxy.Snapshot();
        context.Report(string.Create(CultureInfo.InvariantCulture, $"    counting the steady state of {silos} {kind} silos for {window.TotalSeconds:0} s"));
        await Task.Delay(window, context.CancellationToken);
        var to = proxy.CurrentSecond;
        var seconds = Math.Max(1, to - from);
        var steady = proxy.Capacity(from, to);
        var joinPhase = proxy.Capacity(start, from);
        var (peakRead, peakWrite) = proxy.Peak(start, to);
        // The silos' own requests: all that reached the partition, less what the manager sent.
        var managerRequests = CountingProxy.Difference(managerProxy.Snapshot(), managerBefore);
        var requests = CountingProxy.Difference(proxy.Snapshot(), before)
            .ToDictionary(r => r.Key, r => r.Value - managerRequests.GetValueOrDefault(r.Key), StringComparer.Ordinal);
        var reads = steady.ReadUnits / seconds;
        var writes = steady.WriteUnits / seconds;
        var cost = CostPerHour(reads, writes);
        var result = new ScaleResult(
            silos, kind, join, active, seconds, Round(reads), Round(writes), Round(steady.Requests / (double)seconds), steady.Throttled + joinPhase.Throttled,
            Round(joinPhase.ReadUnits), Round(joinPhase.WriteUnits), Round(peakRead), Round(peakWrite), Math.Round(cost, 4), Math.Round(cost / silos, 7),
            requests.Where(r => r.Value > 0).ToDictionary(r => r.Key, r => Round(r.Value / (double)silos / (seconds / 60.0)), StringComparer.Ordinal));
        context.Report(string.Create(CultureInfo.InvariantCulture,
            $"    {silos} {kind}: {reads:0.0} read and {writes:0.0} write units/s steady, {result.RequestsPerSecond:0.0} requests/s, {result.ThrottledRequests} throttled, join {joinPhase.ReadUnits:0} RU + {joinPhase.WriteUnits:0} WU, ${cost:0.0000}/h (${cost / silos:0.0000000} per silo-hour)"));
        return result;
    }

    private static double Round(double value) => Math.Round(value, 3);
}
