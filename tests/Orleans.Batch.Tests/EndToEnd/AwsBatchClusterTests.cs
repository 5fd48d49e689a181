using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// The full production path on one machine: the Launcher submits to the Batch emulator, whose jobs run the
/// Launcher's silo role, with membership in DynamoDB Local.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class AwsBatchClusterTests(DynamoDBLocalFixture dynamo)
{
    private const string Queue = "silo-queue";
    private const string Definition = "orleans-batch";

    [Fact]
    public async Task Four_silos_run_as_one_array_job_and_everything_is_released()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("batch");
        var leaks = new ProcessLeakDetector();
        var reportPath = Path.Combine(Path.GetTempPath(), $"orleans-batch-tests-report-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl,
                 "--table", table, "--silos", "4", "--queue", Queue, "--definition", Definition, "--region", "us-east-1", "--report", reportPath],
                TimeSpan.FromMinutes(4),
                AwsEnvironment());

            exitCode.ShouldBe(0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            lines[0].ShouldBe("Num silos: 4");
            var parent = ArraySiloLine().Match(lines[1]).Groups["parent"].Value;
            parent.ShouldNotBeEmpty(lines[1]);
            for (var i = 0; i < 4; i++)
            {
                lines[i + 1].ShouldStartWith($"Silo {i}: {parent}:{i} at ");
            }

            // TLS is on by default on Batch; the certificate went beside the rows, never into the job.
            stderr.ShouldContain($"Cluster TLS: on, with a fresh certificate for this cluster");
            stderr.ShouldMatch($@"handed to the silos in item \$tls of partition ob-[0-9a-z-]+ in DynamoDB table {table}");
            var job = (await emulator.Batch.DescribeJobAsync(parent)).ToJsonString();
            job.ShouldContain("OrleansBatch__Tls__Enabled");
            job.ShouldNotContain("PRIVATE KEY");
            job.ShouldNotContain("BEGIN CERTIFICATE");

            // One SubmitJob for the array, one TerminateJob for its parent, and every job has ended.
            (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(1);
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1);
            await AssertAllJobsEndedAsync(emulator);
            (await PartitionItemsAsync(table, parent)).ShouldBe(0, "the cluster's membership partition was not deleted");
            await leaks.AssertNoneLeftAsync();

            // The run report: what ran, what it asked of AWS, and an estimate of its cost at the documented prices.
            stderr.ShouldContain("Run summary: 4 silo(s) launched, 0 lost, 0 replaced, 0 removed");
            stderr.ShouldMatch(@"estimated cost: \$[0-9.]+ \(compute \$[0-9.]+, the manager's DynamoDB \$[0-9.]+\); an estimate at AWS list prices");
            var report = JsonNode.Parse(await File.ReadAllTextAsync(reportPath, TestContext.Current.CancellationToken))!;
            stderr.ShouldContain($"cluster {report["cluster_id"]!.GetValue<string>()}");
            report["backend"]!.GetValue<string>().ShouldBe("aws-batch");
            report["silos_launched"]!.GetValue<int>().ShouldBe(4);
            var ready = report["time_to_ready_seconds"]!.GetValue<double>();
            var wall = report["wall_seconds"]!.GetValue<double>();
            ready.ShouldBeInRange(0.1, wall);
            report["silo_seconds"]!.GetValue<double>().ShouldBeInRange(4 * ready, 4 * wall);
            report["batch_requests"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(3, "at least the preflight, SubmitJob and TerminateJob");
            report["dynamodb_requests"]!.GetValue<long>().ShouldBeGreaterThan(0);
            report["dynamodb_read_units"]!.GetValue<double>().ShouldBeGreaterThan(0, "DynamoDB reports the capacity each request consumed");
            report["dynamodb_write_units"]!.GetValue<double>().ShouldBeGreaterThan(0);
            var cost = report["cost"]!;
            cost["estimate"]!.GetValue<bool>().ShouldBeTrue();
            var vcpus = report["vcpus_per_silo"]!.GetValue<double>();
            var gib = (report["memory_mib_per_silo"]?.GetValue<int>() ?? 0) / 1024.0;
            var pricing = new Orleans.Batch.Application.Reporting.RunPricing();
            cost["compute_usd"]!.GetValue<double>().ShouldBe(report["silo_seconds"]!.GetValue<double>() / 3600 * ((vcpus * pricing.VcpuHourUsd) + (gib * pricing.GiBHourUsd)), 1e-9);
            cost["dynamodb_usd"]!.GetValue<double>().ShouldBeGreaterThan(0);
            cost["total_usd"]!.GetValue<double>().ShouldBe(cost["compute_usd"]!.GetValue<double>() + cost["dynamodb_usd"]!.GetValue<double>(), 1e-12);
        }
        finally
        {
            File.Delete(reportPath);
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_manager_running_as_a_batch_job_takes_queue_and_definition_from_its_own_job()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("batch");
        try
        {
            // The manager itself is a Batch job: no --queue, no --definition.
            var managerJob = await emulator.Batch.SubmitJobAsync(new JsonObject
            {
                ["jobName"] = "manager",
                ["jobQueue"] = Queue,
                ["jobDefinition"] = Definition,
                ["containerOverrides"] = new JsonObject
                {
                    ["command"] = new JsonArray("--silos", "2", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table),
                },
            }.ToJsonString());

            var finished = await emulator.Batch.WaitForAnyStatusAsync(managerJob, ["SUCCEEDED", "FAILED"], TimeSpan.FromMinutes(4));
            var log = string.Join('\n', await emulator.LogLinesAsync(managerJob));
            finished["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", log);
            log.ShouldContain("Num silos: 2");
            log.ShouldContain($"Running as Batch job {managerJob}");

            // The silos' cluster is the manager's job id: their partition is gone, and they ran as the manager's queue.
            (await PartitionItemsAsync(table, managerJob)).ShouldBe(0);
            (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(2);
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1);
            await AssertAllJobsEndedAsync(emulator);
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    internal static async Task<BatchEmulatorFixture> StartEmulatorAsync(Action<Orleans.Batch.BatchEmulator.BatchEmulatorOptions>? configure = null)
    {
        var emulator = await StartEmulatorWithoutDefinitionAsync(configure);
        // The definition's environment stands in for the job role: the containers' AWS credentials and region.
        await emulator.RegisterDefinitionAsync(Definition, environment: AwsEnvironment().Select(e => new { name = e.Key, value = e.Value }).ToArray());
        return emulator;
    }

    /// <summary>An emulator that runs this repository's Launcher for its jobs, with the silo queue; the caller registers the definition.</summary>
    internal static async Task<BatchEmulatorFixture> StartEmulatorWithoutDefinitionAsync(Action<Orleans.Batch.BatchEmulator.BatchEmulatorOptions>? configure = null)
    {
        var emulator = await BatchEmulatorFixture.StartAsync((options, _) =>
        {
            options.LauncherPath = RepositoryPaths.LauncherDll;
            options.TransitionDelay = TimeSpan.FromMilliseconds(100);
            options.MinimumTimeoutSeconds = 60;
            options.TerminationGracePeriod = TimeSpan.FromSeconds(25);
            configure?.Invoke(options);
        });
        await emulator.CreateQueueAsync(Queue);
        return emulator;
    }

    internal static Dictionary<string, string> AwsEnvironment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = BatchTestClient.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = BatchTestClient.SecretKey,
        ["AWS_REGION"] = "us-east-1",
    };

    internal static async Task AssertAllJobsEndedAsync(BatchEmulatorFixture emulator)
    {
        await Eventually.MatchesAsync(
            () => emulator.Admin.JobsAsync(),
            all => all.All(j => j!["status"]!.GetValue<string>() is "SUCCEEDED" or "FAILED"),
            TimeSpan.FromSeconds(60),
            "every emulator job has ended");
    }

    private async Task<int> PartitionItemsAsync(string table, string clusterId) => (await dynamo.QueryPartitionAsync(table, clusterId)).Count;

    [GeneratedRegex(@"^Silo 0: (?<parent>[0-9a-f-]+):0 at ")]
    private static partial Regex ArraySiloLine();
}
