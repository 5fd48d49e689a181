using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Inventory;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Cluster.Backends;

/// <summary>The aws-batch backend's control plane, against the emulator in simulated mode (no processes).</summary>
public sealed class AwsBatchBackendTests : IAsyncLifetime
{
    private const string Queue = "sim-queue";
    private BatchEmulatorFixture _emulator = null!;
    private AwsBatchClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _emulator = await BatchEmulatorFixture.StartAsync((options, _) =>
        {
            options.Simulated = true;
            options.TransitionDelay = TimeSpan.FromMilliseconds(10);
        });
        await _emulator.CreateQueueAsync(Queue);
        await _emulator.RegisterDefinitionAsync("sim-def");
        _client = _emulator.CreateAwsBatchClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Many_silos_are_one_array_job_polled_100_ids_per_call_and_terminated_with_one_call()
    {
        var backend = Backend();

        var launched = await backend.LaunchAsync(Spec(1000), TestContext.Current.CancellationToken);

        launched.Count.ShouldBe(1000);
        launched[7].Name.ShouldBe($"{backend.JobId}:7");
        (await _emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(1);

        var before = await _emulator.Admin.CallsAsync("DescribeJobs");
        var statuses = await backend.DescribeAsync(TestContext.Current.CancellationToken);
        statuses.Count.ShouldBe(1000);
        (await _emulator.Admin.CallsAsync("DescribeJobs") - before).ShouldBe(10);

        var outcome = await backend.TerminateAllAsync(new TeardownRequest(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
        (await _emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1);
        outcome.Description.ShouldStartWith($"1 TerminateJob for array job {backend.JobId} (1000 children)");
        await AwsBatchClusterTestsAccess.AllEndedAsync(_emulator);
    }

    [Fact]
    public async Task A_grown_cluster_is_one_job_per_submission_retried_by_batch_and_listed_and_cleaned_up_together()
    {
        var backend = Backend();
        var budget = new SiloReplacementBudget(2);
        var membership = new DynamoDBMembershipOptions { TableName = "membership", ServiceUrl = new Uri("http://127.0.0.1:9/") };
        SiloLaunchSpec Grown(int count) => Spec(count) with
        {
            Replacements = budget,
            Settings = new Orleans.Batch.Hosting.Configuration.SiloSettings { ClusterId = "cluster-1", Membership = Orleans.Batch.Hosting.Configuration.MembershipKind.DynamoDB, DynamoDB = membership },
        };

        var first = await backend.LaunchAsync(Grown(3), TestContext.Current.CancellationToken);
        var grown = await backend.LaunchAsync(Grown(1), TestContext.Current.CancellationToken);

        // Indexes continue; the second submission is a single job, and both carry the cluster's tags and retry strategy.
        first.Select(s => s.Index).ShouldBe([0, 1, 2]);
        grown.ShouldHaveSingleItem().Index.ShouldBe(3);
        backend.JobIds.Count.ShouldBe(2);
        grown[0].Name.ShouldBe(backend.JobIds[1]);
        var retry = (await _emulator.Batch.DescribeJobAsync(backend.JobIds[1]))["retryStrategy"]!;
        retry["attempts"]!.GetValue<int>().ShouldBe(3);
        retry["evaluateOnExit"]!.AsArray().Select(c => c!.ToJsonString()).ShouldBe(
        [
            """{"onStatusReason":"Host EC2*","action":"RETRY"}""",
            """{"onExitCode":"75","action":"RETRY"}""",
            """{"onReason":"*","action":"EXIT"}""",
        ]);
        (await backend.DescribeAsync(TestContext.Current.CancellationToken)).Select(s => s.Index).ShouldBe([0, 1, 2, 3]);

        // What list and cleanup see: one cluster with both jobs; an orphan's cleanup terminates both.
        var jobs = (await new ClusterJobFinder(_client).FindAsync(Queue, TestContext.Current.CancellationToken)).Where(j => j.ClusterId == "cluster-1").ToList();
        jobs.Select(j => j.JobId).Order().ShouldBe(backend.JobIds.Order());
        using var catalog = new DynamoDBClusterPartitionCatalog(membership);
        var orphan = new ClusterInventory(catalog, null, null, TimeProvider.System).Assess("cluster-1", null, jobs, DateTimeOffset.UtcNow.AddHours(1));
        orphan.IsOrphaned.ShouldBeTrue(orphan.Assessment);
        var actions = await new ClusterCleanup(catalog, _client, TimeProvider.System).RunAsync([orphan], dryRun: false, onAction: null, TestContext.Current.CancellationToken);
        actions.Where(a => a.Kind == ClusterCleanupActionKind.TerminateJob).Select(a => a.Target).Order().ShouldBe(backend.JobIds.Order());
        await AwsBatchClusterTestsAccess.AllEndedAsync(_emulator);
    }

    [Fact]
    public async Task One_silo_is_a_single_job_named_by_its_id()
    {
        var backend = Backend();

        var launched = await backend.LaunchAsync(Spec(1), TestContext.Current.CancellationToken);

        launched.ShouldHaveSingleItem().Name.ShouldBe(backend.JobId);
        var job = await _emulator.Batch.DescribeJobAsync(backend.JobId!);
        job["arrayProperties"].ShouldBeNull();
        job["tags"]![AwsBatchTags.ClusterId]!.GetValue<string>().ShouldBe("cluster-1");
        job["tags"]![AwsBatchTags.Tool]!.GetValue<string>().ShouldBe(AwsBatchTags.ToolValue);
        job["container"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["silo"]);
        job["container"]!["environment"]!.AsArray().ShouldContain(e => e!["name"]!.GetValue<string>() == "OrleansBatch__ClusterId" && e["value"]!.GetValue<string>() == "cluster-1");

        await backend.TerminateAllAsync(new TeardownRequest(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
        await AwsBatchClusterTestsAccess.AllEndedAsync(_emulator);
    }

    [Fact]
    public async Task Stopping_stragglers_terminates_only_those_children()
    {
        var backend = Backend();
        await backend.LaunchAsync(Spec(3), TestContext.Current.CancellationToken);
        await Eventually.MatchesAsync(
            () => backend.DescribeAsync(TestContext.Current.CancellationToken),
            s => s.All(silo => silo.State == SiloBackendState.Running),
            TimeSpan.FromSeconds(10),
            "every child job is running");

        await backend.StopSilosAsync([2], TestContext.Current.CancellationToken);

        var statuses = await Eventually.MatchesAsync(
            () => backend.DescribeAsync(TestContext.Current.CancellationToken),
            s => s[2].State.IsTerminal(),
            TimeSpan.FromSeconds(10),
            "silo 2 has ended");
        statuses[0].State.IsTerminal().ShouldBeFalse();
        statuses[1].State.IsTerminal().ShouldBeFalse();
        await backend.TerminateAllAsync(new TeardownRequest(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Nothing_submitted_means_nothing_terminated()
    {
        var outcome = await Backend().TerminateAllAsync(new TeardownRequest(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);

        outcome.Description.ShouldBe("no Batch job was submitted");
        (await _emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(0);
    }

    [Theory]
    [InlineData("orleans-batch", "ob-20261124-010203-abcdef", "orleans-batch-ob-20261124-010203-abcdef")]
    [InlineData("my job", "1a2b:3", "my-job-1a2b_003a3")]
    [InlineData("-x", "c", "j-x-c")]
    [InlineData("p", "Ä1", "p-_00c41")]
    public void Job_names_are_valid_batch_names(string prefix, string clusterId, string expected) =>
        AwsBatchBackend.JobNameFor(prefix, clusterId).ShouldBe(expected);

    private AwsBatchBackend Backend() => new(
        _client,
        new AwsBatchBackendOptions { JobQueue = Queue, JobDefinition = "sim-def", TerminationPollInterval = TimeSpan.FromMilliseconds(100) },
        TimeProvider.System,
        NullLogger<AwsBatchBackend>.Instance);

    private static SiloLaunchSpec Spec(int count) => new("cluster-1", count, new Orleans.Batch.Hosting.Configuration.SiloSettings { ClusterId = "cluster-1" });

    private static class AwsBatchClusterTestsAccess
    {
        public static Task AllEndedAsync(BatchEmulatorFixture emulator) => EndToEnd.AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
    }
}
