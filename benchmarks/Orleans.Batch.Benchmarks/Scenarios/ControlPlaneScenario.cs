using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Orleans.Batch.BatchEmulator;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// The AWS Batch control plane at scale: our real <see cref="AwsBatchBackend"/> over our real
/// <see cref="AwsBatchClient"/> (SigV4-signed HTTP) against the Batch emulator in simulated mode (jobs move through
/// their states on timers; no processes), hosted in this process on 127.0.0.1. For N silos it measures the wall time
/// and the API calls to submit, to see all N RUNNING by polling <see cref="ISiloBackend.DescribeAsync"/> the way
/// <c>ClusterLauncher</c> waits (DescribeJobs in chunks of 100, one poll per tick of a periodic timer), and to tear
/// down with <see cref="ISiloBackend.TerminateAllAsync"/> until every silo job has ended. A fresh emulator per
/// measurement, so no run sees another's jobs.
/// </summary>
internal static class ControlPlaneScenario
{
    /// <summary>The breakdown group of the API calls per phase.</summary>
    public static string CallsGroup(int silos) => string.Create(CultureInfo.InvariantCulture, $"control plane, {silos} silos: API calls per phase (counted by the client; the emulator's counters agree)");

    /// <summary>The breakdown group of the moments.</summary>
    public static string MomentsGroup(int silos) => string.Create(CultureInfo.InvariantCulture, $"control plane, {silos} silos: moments and polls");

    private const string Queue = "bench-silos";
    private const string Definition = "orleans-batch";
    private const string Region = "us-east-1";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly string[] Operations = ["SubmitJob", "DescribeJobs", "TerminateJob", "ListJobs"];
    private static readonly string[] ActiveStatuses = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"];
    private static readonly IReadOnlyDictionary<string, long> None = new Dictionary<string, long>();

    public static async Task RunAsync(ScenarioContext context, int silos, bool measured = true)
    {
        var settings = context.Settings;
        var cancellationToken = context.CancellationToken;
        var measurements = context.Measurements;
        var emulatorOptions = new BatchEmulatorOptions
        {
            Simulated = true,
            TransitionDelay = settings.ControlPlaneTransitionDelay,
            Region = Region,
        };
        emulatorOptions.Queues.Add(Queue);
        emulatorOptions.JobDefinitions.Add(Definition);
        await using var emulator = await BatchEmulatorHost.StartAsync(emulatorOptions, cancellationToken);
        using var admin = new HttpClient();

        // The client exactly as the Launcher builds it (ClusterEnvironment), with fixed keys: the emulator checks
        // the signature's shape and scope, not the secret.
        using var realClient = new AwsBatchClient(
            new AwsBatchClientOptions
            {
                Region = Region,
                ServiceUrl = emulator.BaseAddress.GetLeftPart(UriPartial.Authority),
                Credentials = new BasicAWSCredentials("bench", "bench"),
            },
            context.LoggerFactory);
        var client = new CountingBatchClient(realClient);
        var clusterId = ClusterIdGenerator.NewClusterId(TimeProvider.System);
        await using var backend = new AwsBatchBackend(
            client,
            new AwsBatchBackendOptions
            {
                JobQueue = Queue,
                JobDefinition = Definition,
                Environment = new Dictionary<string, string> { ["AWS_REGION"] = Region, ["AWS_DEFAULT_REGION"] = Region },
            },
            TimeProvider.System,
            context.LoggerFactory.CreateLogger<AwsBatchBackend>());

        // What the manager hands every silo with DynamoDB membership (ClusterLauncher + DynamoDBClusterMembership).
        var siloSettings = new SiloSettings
        {
            ClusterId = clusterId,
            Membership = MembershipKind.DynamoDB,
            DynamoDB = new DynamoDBMembershipOptions { Region = Region },
            OrphanTimeout = ManagerLeaseOptions.DefaultOrphanTimeout,
        };

        // Submit.
        var clock = Clock.StartNew();
        var launched = await backend.LaunchAsync(new SiloLaunchSpec(clusterId, silos, siloSettings), cancellationToken);
        var submitted = clock.Elapsed;
        var afterSubmit = client.Snapshot();
        if (launched.Count != silos)
        {
            throw new InvalidOperationException($"The backend reported {launched.Count} launched silos, not {silos}.");
        }

        // Observe: poll as ClusterLauncher.WaitForSilosAsync does, until one poll shows every silo RUNNING.
        var pollTimes = new List<double>();
        var describesPerPoll = new List<long>();
        using (var timer = new PeriodicTimer(settings.ControlPlanePollInterval))
        {
            while (true)
            {
                var before = client.Calls("DescribeJobs");
                var pollStarted = Stopwatch.GetTimestamp();
                var statuses = await backend.DescribeAsync(cancellationToken);
                pollTimes.Add(Stopwatch.GetElapsedTime(pollStarted).TotalSeconds);
                describesPerPoll.Add(client.Calls("DescribeJobs") - before);
                if (statuses.Count == silos && statuses.All(s => s.State == SiloBackendState.Running))
                {
                    break;
                }

                if (statuses.FirstOrDefault(s => s.State.IsTerminal()) is { } ended)
                {
                    throw new InvalidOperationException($"Silo job {ended.Index} ended ({ended.State}: {ended.Reason}) before every silo was RUNNING.");
                }

                if (clock.Elapsed > Deadline)
                {
                    throw new TimeoutException($"{statuses.Count(s => s.State == SiloBackendState.Running)} of {silos} silo jobs RUNNING after {Deadline.TotalSeconds:0} s.");
                }

                await timer.WaitForNextTickAsync(cancellationToken);
            }
        }

        var allRunning = clock.Elapsed;
        var afterObserve = client.Snapshot();

        // Tear down: one TerminateAllAsync, which waits (polling) until every silo job has ended.
        var teardownClock = Clock.StartNew();
        var outcome = await backend.TerminateAllAsync(new TeardownRequest(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)), cancellationToken);
        var teardown = teardownClock.Elapsed;
        var afterTeardown = client.Snapshot();
        if (outcome.StoppedGracefully != silos)
        {
            throw new InvalidOperationException($"Tear-down ended {outcome.StoppedGracefully} of {silos} silo jobs: {outcome.Description}");
        }

        // The emulator's own view: every call the client made arrived once (no retries), and nothing is left running.
        var stats = await EmulatorStats.ReadAsync(admin, emulator.BaseAddress, cancellationToken);
        foreach (var operation in Operations)
        {
            if (stats.CallsOf(operation) != afterTeardown.GetValueOrDefault(operation))
            {
                measurements.Note(string.Create(CultureInfo.InvariantCulture,
                    $"Control plane, {silos} silos: the emulator counted {stats.CallsOf(operation)} {operation} calls, the client {afterTeardown.GetValueOrDefault(operation)} (retried attempts)."));
            }
        }

        var stillActive = ActiveStatuses.Sum(stats.JobsIn);
        if (stillActive > 0)
        {
            throw new InvalidOperationException($"The emulator still has {stillActive} active jobs after tear-down.");
        }

        context.Report(string.Create(CultureInfo.InvariantCulture,
            $"  control plane {silos,5} silos: submitted in {submitted.TotalSeconds:0.000} s ({Delta(afterSubmit, None, "SubmitJob")} SubmitJob), all RUNNING seen at {allRunning.TotalSeconds:0.00} s after {pollTimes.Count} polls of {describesPerPoll.Max()} DescribeJobs (median poll {Median(pollTimes):0.000} s), torn down in {teardown.TotalSeconds:0.00} s ({Delta(afterTeardown, afterObserve, "TerminateJob")} TerminateJob, {Delta(afterTeardown, afterObserve, "DescribeJobs")} DescribeJobs)"));
        if (!measured)
        {
            return;
        }

        void Add(Results.Metric metric, double value) => measurements.Add(measurements.Define(metric), Side.Ours, value);
        Add(Metrics.ControlPlaneSubmitCalls(silos), Delta(afterSubmit, None, "SubmitJob"));
        Add(Metrics.ControlPlaneSubmitTime(silos), submitted.TotalMilliseconds);
        Add(Metrics.ControlPlaneDescribeCallsPerPoll(silos), describesPerPoll.Max());
        Add(Metrics.ControlPlanePollTime(silos), Median(pollTimes) * 1000);
        Add(Metrics.ControlPlaneAllRunningTime(silos), allRunning.TotalMilliseconds);
        Add(Metrics.ControlPlaneTerminateCalls(silos), Delta(afterTeardown, afterObserve, "TerminateJob"));
        Add(Metrics.ControlPlaneTeardownTime(silos), teardown.TotalMilliseconds);

        // The operations each phase used (the others were not called), and ListJobs over all phases (0 unless the submit's answer was lost).
        var calls = CallsGroup(silos);
        foreach (var (phase, after, before) in new[] { ("submit", afterSubmit, None), ("observe (every poll until all RUNNING)", afterObserve, afterSubmit), ("tear-down", afterTeardown, afterObserve) })
        {
            foreach (var operation in Operations.Where(o => Delta(after, before, o) > 0))
            {
                measurements.AddBreakdown(calls, $"{phase}: {operation}", Side.Ours, Delta(after, before, operation));
            }
        }

        measurements.AddBreakdown(calls, "all phases: ListJobs", Side.Ours, afterTeardown.GetValueOrDefault("ListJobs"));

        var moments = MomentsGroup(silos);
        measurements.AddBreakdown(moments, "a poll saw every silo RUNNING (s)", Side.Ours, allRunning.TotalSeconds);
        measurements.AddBreakdown(moments, "emulated state delays before RUNNING (4 × transition delay, s)", Side.Ours, 4 * settings.ControlPlaneTransitionDelay.TotalSeconds);
        measurements.AddBreakdown(moments, "polls until every silo was RUNNING", Side.Ours, pollTimes.Count);
        measurements.AddBreakdown(moments, "slowest poll (s)", Side.Ours, pollTimes.Max());
        measurements.AddBreakdown(moments, "tear-down: TerminateAllAsync returned, every silo job ended (s)", Side.Ours, teardown.TotalSeconds);
    }

    private static long Delta(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before, string operation) =>
        after.GetValueOrDefault(operation) - before.GetValueOrDefault(operation);

    private static double Median(List<double> values) => Results.Stats.Of(values)!.Median;
}
