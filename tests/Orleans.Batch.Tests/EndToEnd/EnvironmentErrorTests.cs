using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Bad environments: each is one line naming what to fix, exit code 1, and nothing left behind (no silo process,
/// no running Batch job, no membership rows).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class EnvironmentErrorTests(DynamoDBLocalFixture dynamo)
{
    private const string Queue = "silo-queue";
    private const string Definition = "orleans-batch";

    [Fact]
    public async Task Without_credentials_nothing_is_submitted()
    {
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var environment = NoCredentials();

        var (exitCode, stderr) = await RunBatchAsync(emulator, [], environment);

        exitCode.ShouldBe(1, stderr);
        LastErrorLine(stderr).ShouldContain("AWS_ACCESS_KEY_ID");
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(0);
    }

    [Fact]
    public async Task Expired_credentials_are_named_and_nothing_is_submitted()
    {
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync(o => o.ExpiredAccessKeys.Add("AKIAEXPIREDKEY"));
        var environment = AwsBatchClusterTests.AwsEnvironment();
        environment["AWS_ACCESS_KEY_ID"] = "AKIAEXPIREDKEY";

        var (exitCode, stderr) = await RunBatchAsync(emulator, [], environment);

        exitCode.ShouldBe(1, stderr);
        LastErrorLine(stderr).ShouldContain("ExpiredTokenException");
        await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
    }

    [Theory]
    [InlineData("--queue", "no-such-queue", "job queue 'no-such-queue' does not exist")]
    [InlineData("--definition", "no-such-definition", "job definition 'no-such-definition' has no ACTIVE revision")]
    public async Task An_unknown_queue_or_definition_is_refused_by_preflight_in_one_line_before_anything_is_submitted(string flag, string value, string message)
    {
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();

        var (exitCode, stderr) = await RunBatchAsync(emulator, [flag, value], AwsBatchClusterTests.AwsEnvironment());

        exitCode.ShouldBe(2, stderr);
        LastErrorLine(stderr).ShouldContain(message);
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(0);
        (await emulator.Admin.JobsAsync()).Count.ShouldBe(0);
    }

    [Fact]
    public async Task Batch_throttling_and_server_errors_for_a_while_are_retried()
    {
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.AddFaultAsync("throttle", "SubmitJob", count: 2);
        await emulator.Admin.AddFaultAsync("server-error", "DescribeJobs", count: 3);

        var (exitCode, stderr) = await RunBatchAsync(emulator, [], AwsBatchClusterTests.AwsEnvironment(), silos: "2");

        exitCode.ShouldBe(0, stderr);
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(3, "two throttled attempts, then one that succeeds");
        (await emulator.Admin.JobsAsync()).Count(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal)).ShouldBe(1, "a throttled SubmitJob must not create a second job");
        await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
    }

    [Fact]
    public async Task A_describe_jobs_outage_during_the_launch_is_one_warning_and_the_launch_goes_on()
    {
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.AddFaultAsync("server-error", "DescribeJobs", count: 12);

        var (exitCode, stderr) = await RunBatchAsync(emulator, [], AwsBatchClusterTests.AwsEnvironment(), silos: "2");

        // More failures than one call's own retries: the launch waits them out within --timeout.
        exitCode.ShouldBe(0, stderr);
        stderr.Split('\n').Count(l => l.Contains("Cannot read the silos' state", StringComparison.Ordinal)).ShouldBe(1, stderr);
        stderr.ShouldNotContain("   at ");
        await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
    }

    [Fact]
    public async Task A_job_stuck_in_runnable_says_why_and_is_terminated_at_the_timeout()
    {
        const string reason = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.";
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.PatchQueueAsync(Queue, new System.Text.Json.Nodes.JsonObject { ["stuckReason"] = reason }.ToJsonString());

        var (exitCode, stderr) = await RunBatchAsync(emulator, ["--timeout", "6s"], AwsBatchClusterTests.AwsEnvironment(), silos: "2");

        exitCode.ShouldBe(1, stderr);
        stderr.ShouldContain("runnable (" + reason);
        stderr.ShouldContain("Timed out after 6 s");
        (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1);
        await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
    }

    [Fact]
    public async Task An_unreachable_dynamodb_is_named_and_no_silo_starts()
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "2", "--dynamodb-endpoint", "http://127.0.0.1:9"], TimeSpan.FromMinutes(2), NoCredentials());

        exitCode.ShouldBe(1, stderr);
        LastErrorLine(stderr).ShouldContain("--dynamodb-endpoint");
        stderr.ShouldNotContain("started (pid");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task A_missing_table_with_creation_off_is_named_and_no_silo_starts()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var leaks = new ProcessLeakDetector();
        var table = DynamoDBLocalFixture.UniqueTableName("missing");

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(
            leaks, ["--silos", "2", "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table, "--create-table", "false"], TimeSpan.FromMinutes(2), NoCredentials());

        exitCode.ShouldBe(1, stderr);
        var error = LastErrorLine(stderr);
        error.ShouldContain(table);
        error.ShouldContain("CreateIfNotExists");
        stderr.ShouldNotContain("started (pid");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task A_malformed_membership_row_is_named_and_everything_is_released()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var leaks = new ProcessLeakDetector();
        var table = DynamoDBLocalFixture.UniqueTableName("malformed");
        var clusterId = $"malformed-{Guid.NewGuid():N}";
        try
        {
            // A row that is not a membership entry sits in the cluster's partition (a bug elsewhere, a manual edit).
            var options = new Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(dynamo.ServiceUrl), Region = "us-east-1", CreateIfNotExists = true };
            using (var membership = new Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBClusterMembership(clusterId, options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance))
            {
                await membership.PrepareAsync(TestContext.Current.CancellationToken);
            }

            await dynamo.Client.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
            {
                TableName = table,
                Item = new()
                {
                    ["ClusterId"] = new() { S = clusterId },
                    ["SiloIdentity"] = new() { S = "127.0.0.1:11111@1" },
                    ["Status"] = new() { S = "NotAStatus" },
                },
            }, TestContext.Current.CancellationToken);

            var (exitCode, _, stderr) = await LauncherProcess.RunAsync(
                leaks, ["--silos", "1", "--cluster-id", clusterId, "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table], TimeSpan.FromMinutes(2), NoCredentials());

            exitCode.ShouldBe(1, stderr);
            var error = LastErrorLine(stderr);
            error.ShouldContain("127.0.0.1:11111@1");
            error.ShouldContain("Status");
            await leaks.AssertNoneLeftAsync();
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty("the partition was not released");
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    private async Task<(int ExitCode, string Stderr)> RunBatchAsync(BatchEmulatorFixture emulator, string[] extra, Dictionary<string, string> environment, string silos = "2")
    {
        var leaks = new ProcessLeakDetector();
        string[] arguments = ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--silos", silos, "--region", "us-east-1"];
        var flags = new Dictionary<string, string> { ["--queue"] = Queue, ["--definition"] = Definition };
        for (var i = 0; i + 1 < extra.Length; i += 2)
        {
            flags[extra[i]] = extra[i + 1];
        }

        // aws-batch keeps membership in DynamoDB: DynamoDB Local, one table per run.
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("errors");
        var all = arguments.Concat(flags.SelectMany(f => new[] { f.Key, f.Value })).Concat(["--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table]);
        try
        {
            var (exitCode, _, stderr) = await LauncherProcess.RunAsync(leaks, all, TimeSpan.FromMinutes(3), environment);
            await leaks.AssertNoneLeftAsync();
            return (exitCode, stderr);
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    private static Dictionary<string, string> NoCredentials() => new()
    {
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials",
        ["AWS_CONFIG_FILE"] = "/nonexistent/config",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_REGION"] = "us-east-1",
    };

    private static string LastErrorLine(string stderr) =>
        stderr.Split('\n').Last(line => line.StartsWith("error: ", StringComparison.Ordinal));
}
