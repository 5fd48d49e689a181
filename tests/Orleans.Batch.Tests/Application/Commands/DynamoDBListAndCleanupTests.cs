using System.Text.Json.Nodes;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Runtime;
using static Orleans.Batch.Tests.Application.Commands.ClusterSeeder;

namespace Orleans.Batch.Tests.Application.Commands;

/// <summary>
/// <c>list</c> and <c>cleanup</c> on AWS: the Launcher against DynamoDB Local and the Batch emulator, with a mix of
/// live, expired and foreign clusters and jobs, checking that exactly the orphans are released.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DynamoDBListAndCleanupTests(DynamoDBLocalFixture dynamo)
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task List_shows_each_cluster_and_cleanup_releases_exactly_the_orphans()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await dynamo.StartAsync(cancellationToken);
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("cleanup");
        var otherTable = DynamoDBLocalFixture.UniqueTableName("other");
        var (live, expired, noLease, unseen) = ("live-" + Id(), "expired-" + Id(), "nolease-" + Id(), "unseen-" + Id());
        try
        {
            // A live cluster: lease just renewed, two active silos, an array job of two.
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, table, live, Lease(TimeSpan.Zero, TimeSpan.FromMinutes(10)), (SiloStatus.Active, TimeSpan.Zero), (SiloStatus.Active, TimeSpan.Zero));
            var liveJob = await SubmitSleepAsync(emulator, Tags(live), arraySize: 2);

            // An expired cluster: lease 10 min old (timeout 60 s), rows, an array job and a single job.
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, table, expired, Lease(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60)), (SiloStatus.Active, TimeSpan.FromMinutes(10)), (SiloStatus.Dead, TimeSpan.FromMinutes(11)));
            var expiredArray = await SubmitSleepAsync(emulator, Tags(expired), arraySize: 2);
            var expiredSingle = await SubmitSleepAsync(emulator, Tags(expired));

            // No lease, and rows quiet for an hour: orphaned.
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, table, noLease, lease: null, (SiloStatus.Active, TimeSpan.FromHours(1)));

            // Jobs that are not to be touched: untagged; the expired cluster's id without our tool tag; our tags
            // for a cluster with no partition here, created just now (its lease may be in another table).
            var untagged = await SubmitSleepAsync(emulator, tags: null);
            var notOurTool = await SubmitSleepAsync(emulator, new Dictionary<string, string> { [AwsBatchTags.ClusterId] = expired });
            var unseenJob = await SubmitSleepAsync(emulator, Tags(unseen));

            // Another table with the same expired cluster id, and another orphan: out of reach.
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, otherTable, expired, Lease(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60)), (SiloStatus.Active, TimeSpan.FromMinutes(10)));
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, otherTable, noLease, lease: null, (SiloStatus.Active, TimeSpan.FromHours(1)));

            var allJobs = new[] { liveJob, expiredArray, expiredSingle, untagged, notOurTool, unseenJob };
            foreach (var job in allJobs)
            {
                await Eventually.MatchesAsync(() => emulator.Batch.DescribeJobAsync(job), IsRunning, TimeSpan.FromSeconds(20), $"job {job} runs");
            }

            string[] store = ["--table", table, "--dynamodb-endpoint", dynamo.ServiceUrl, "--queue", BatchEmulatorFixture.DefaultQueue, "--batch-endpoint", emulator.BaseAddress.ToString(), "--region", "us-east-1"];
            var itemsBefore = await ItemsAsync(dynamo.Client, table);
            var otherItemsBefore = await ItemsAsync(dynamo.Client, otherTable);

            // list (plain text: output is redirected)
            var leaks = new ProcessLeakDetector();
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["list", .. store], Run, AwsEnvironment());
            exitCode.ShouldBe(0, stderr);
            var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["CLUSTER", "LEASE", "RENEWED", "SILOS", "ORPHANED", "JOBS"]);
            rows.Length.ShouldBe(5, stdout);
            Words(Row(rows, live))[1].ShouldBe("live");
            Words(Row(rows, live))[4..6].ShouldBe(["2/2", "no"]);
            Row(rows, live).ShouldContain($"{liveJob} PENDING (array of 2: 2 RUNNING)");
            Words(Row(rows, expired))[1].ShouldBe("expired");
            Words(Row(rows, expired))[2..6].ShouldBe(["10m", "ago", "1/2", "yes"]);
            Row(rows, expired).ShouldContain($"{expiredArray} PENDING (array of 2: 2 RUNNING)");
            Row(rows, expired).ShouldContain($"{expiredSingle} RUNNING");
            Words(Row(rows, noLease))[1..5].ShouldBe(["none", "-", "1/1", "yes"]);
            Words(Row(rows, unseen))[1..5].ShouldBe(["none", "-", "-", "no"]);
            stdout.ShouldNotContain(untagged);
            stdout.ShouldNotContain(notOurTool);

            // list --json
            (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["list", "--json", .. store], Run, AwsEnvironment());
            exitCode.ShouldBe(0, stderr);
            var document = JsonNode.Parse(stdout)!;
            document["queue"]!.GetValue<string>().ShouldBe(BatchEmulatorFixture.DefaultQueue);
            var clusters = document["clusters"]!.AsArray().ToDictionary(c => c!["clusterId"]!.GetValue<string>(), c => c!);
            clusters.Keys.Order().ShouldBe(new[] { live, expired, noLease, unseen }.Order());
            clusters[live]["lease"]!.GetValue<string>().ShouldBe("live");
            clusters[live]["orphaned"]!.GetValue<bool>().ShouldBeFalse();
            clusters[live]["activeSilos"]!.GetValue<int>().ShouldBe(2);
            clusters[live]["jobs"]![0]!["arraySize"]!.GetValue<int>().ShouldBe(2);
            clusters[expired]["lease"]!.GetValue<string>().ShouldBe("expired");
            clusters[expired]["leaseAgeSeconds"]!.GetValue<double>().ShouldBeInRange(590, 700);
            clusters[expired]["leaseTimeoutSeconds"]!.GetValue<double>().ShouldBe(60);
            clusters[expired]["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<string>()).Order().ShouldBe(new[] { expiredArray, expiredSingle }.Order());
            clusters[noLease]["lease"]!.GetValue<string>().ShouldBe("none");
            clusters[noLease]["orphaned"]!.GetValue<bool>().ShouldBeTrue();
            clusters[unseen]["orphaned"]!.GetValue<bool>().ShouldBeFalse();

            // cleanup --dry-run: says what it would do, does nothing.
            (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", "--dry-run", .. store], Run, AwsEnvironment());
            exitCode.ShouldBe(0, stderr);
            Lines(stdout).Order().ShouldBe(new[]
            {
                $"would delete the membership partition of cluster {expired} in DynamoDB table {table} at {Authority(dynamo.ServiceUrl)}",
                $"would delete the membership partition of cluster {noLease} in DynamoDB table {table} at {Authority(dynamo.ServiceUrl)}",
                $"would terminate job {expiredArray} (test-job, PENDING) of cluster {expired}",
                $"would terminate job {expiredSingle} (test-job, RUNNING) of cluster {expired}",
            }.Order(), stdout);
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(0);
            (await ItemsAsync(dynamo.Client, table)).ShouldBe(itemsBefore);
            foreach (var job in allJobs)
            {
                IsRunning(await emulator.Batch.DescribeJobAsync(job)).ShouldBeTrue($"job {job} still runs");
            }

            // cleanup: exactly the expired cluster's two jobs, exactly the two orphans' partitions.
            (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", .. store], Run, AwsEnvironment());
            exitCode.ShouldBe(0, stderr);
            var lines = Lines(stdout);
            lines.Length.ShouldBe(4, stdout);
            lines.ShouldContain($"terminated job {expiredArray} (test-job, PENDING) of cluster {expired}");
            lines.ShouldContain($"terminated job {expiredSingle} (test-job, RUNNING) of cluster {expired}");
            lines.ShouldContain(l => l.StartsWith($"deleted the membership partition of cluster {expired} in DynamoDB table {table}", StringComparison.Ordinal) && l.EndsWith("(6 items)", StringComparison.Ordinal)); // 2 rows, the version, the lease, 2 change log items
            lines.ShouldContain(l => l.StartsWith($"deleted the membership partition of cluster {noLease} in DynamoDB table {table}", StringComparison.Ordinal) && l.EndsWith("(3 items)", StringComparison.Ordinal)); // 1 row, the version, its change log item
            stderr.ShouldContain("2 live cluster(s) left alone");

            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(2);
            foreach (var job in new[] { expiredArray, expiredSingle })
            {
                var ended = await emulator.Batch.WaitForStatusAsync(job, "FAILED");
                ended["statusReason"]!.GetValue<string>().ShouldStartWith("Orleans.Batch cleanup: lease expired");
            }

            foreach (var job in new[] { liveJob, untagged, notOurTool, unseenJob })
            {
                IsRunning(await emulator.Batch.DescribeJobAsync(job)).ShouldBeTrue($"job {job} must not be touched");
            }

            (await ItemsAsync(dynamo.Client, table)).ShouldBe(itemsBefore.Where(i => i.StartsWith(live + "/", StringComparison.Ordinal)).ToList());
            (await ItemsAsync(dynamo.Client, otherTable)).ShouldBe(otherItemsBefore);

            // Again: nothing left to do.
            (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", .. store], Run, AwsEnvironment());
            exitCode.ShouldBe(0, stderr);
            stdout.ShouldBeEmpty();
            stderr.ShouldContain("Nothing to clean up");
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(2);
            await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
            await dynamo.DeleteTableIfExistsAsync(otherTable);
        }
    }

    [Fact]
    public async Task A_job_that_cannot_be_terminated_fails_the_cleanup_and_keeps_its_cluster_for_the_next_one()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await dynamo.StartAsync(cancellationToken);
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("cleanup");
        var expired = "expired-" + Id();
        try
        {
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, table, expired, Lease(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(60)), (SiloStatus.Active, TimeSpan.FromMinutes(5)));
            var job = await SubmitSleepAsync(emulator, Tags(expired));
            await emulator.Batch.WaitForStatusAsync(job, "RUNNING");
            var items = await ItemsAsync(dynamo.Client, table);
            string[] store = ["--table", table, "--dynamodb-endpoint", dynamo.ServiceUrl, "--queue", BatchEmulatorFixture.DefaultQueue, "--batch-endpoint", emulator.BaseAddress.ToString()];
            var leaks = new ProcessLeakDetector();

            // Every attempt fails (the client tries 5 times).
            await emulator.Admin.AddFaultAsync("server-error", "TerminateJob", count: 5);
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", .. store], Run, AwsEnvironment());

            exitCode.ShouldBe(1, stderr);
            var lines = Lines(stdout);
            lines.Length.ShouldBe(2, stdout);
            lines[0].ShouldStartWith($"FAILED to terminate job {job} (test-job, RUNNING) of cluster {expired}: AWS Batch TerminateJob failed after 5 attempts: ServerException");
            lines[1].ShouldStartWith($"skipped cluster {expired} (its membership partition is kept until its jobs are terminated");
            (await ItemsAsync(dynamo.Client, table)).ShouldBe(items);
            (await emulator.Batch.DescribeJobAsync(job))["status"]!.GetValue<string>().ShouldBe("RUNNING");

            // The next run finds the cluster expired as before, and finishes the job.
            (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", .. store], Run, AwsEnvironment());
            exitCode.ShouldBe(0, stderr);
            Lines(stdout).Length.ShouldBe(2, stdout);
            await emulator.Batch.WaitForStatusAsync(job, "FAILED");
            (await ItemsAsync(dynamo.Client, table)).ShouldBeEmpty();
            await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task List_and_cleanup_fail_with_one_line_when_the_table_is_missing_or_not_a_membership_table()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var missing = DynamoDBLocalFixture.UniqueTableName("missing");
        var leaks = new ProcessLeakDetector();

        foreach (var command in new[] { "list", "cleanup" })
        {
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, [command, "--table", missing, "--dynamodb-endpoint", dynamo.ServiceUrl], Run);

            exitCode.ShouldBe(1, stderr);
            stdout.ShouldBeEmpty();
            var lines = Lines(stderr);
            lines.Length.ShouldBe(1, stderr);
            lines[0].ShouldBe($"error: The DynamoDB membership table '{missing}' does not exist at {new Uri(dynamo.ServiceUrl).AbsoluteUri} (--table names it).");
        }

        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    internal static Dictionary<string, string> AwsEnvironment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = BatchTestClient.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = BatchTestClient.SecretKey,
        ["AWS_REGION"] = "us-east-1",
    };

    internal static Dictionary<string, string> Tags(string clusterId) => new()
    {
        [AwsBatchTags.Tool] = AwsBatchTags.ToolValue,
        [AwsBatchTags.ClusterId] = clusterId,
        [AwsBatchTags.Role] = AwsBatchTags.SiloRole,
    };

    internal static Task<string> SubmitSleepAsync(BatchEmulatorFixture emulator, Dictionary<string, string>? tags, int? arraySize = null)
    {
        var extra = new JsonObject();
        if (tags is not null)
        {
            extra["tags"] = new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
        }

        if (arraySize is { } size)
        {
            extra["arrayProperties"] = new JsonObject { ["size"] = size };
        }

        return emulator.SubmitAsync(["sleep", "300"], extra);
    }

    /// <summary>A single job RUNNING, or an array parent (PENDING while its children run) with every child RUNNING.</summary>
    internal static bool IsRunning(JsonNode job) =>
        job["arrayProperties"]?["size"] is { } size
            ? job["arrayProperties"]!["statusSummary"]?["RUNNING"]?.GetValue<int>() == size.GetValue<int>()
            : job["status"]!.GetValue<string>() == "RUNNING";

    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Row(string[] rows, string clusterId) => rows.Single(r => r.StartsWith(clusterId + " ", StringComparison.Ordinal));

    private static string[] Words(string row) => row.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Authority(string url) => new Uri(url).Authority;

    private static string Id() => Guid.NewGuid().ToString("N")[..12];
}
