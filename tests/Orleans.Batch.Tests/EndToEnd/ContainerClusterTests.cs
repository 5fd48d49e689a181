using System.Diagnostics;
using System.Text.Json.Nodes;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// The production path with real containers: the Batch emulator in container mode runs the job definition's image
/// (deploy/Dockerfile, built by the project's script) with podman, the manager as a container job that submits its
/// silos as container jobs, host networking, a read-only root file system, the image's non-root user.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ContainerClusterTests(DynamoDBLocalFixture dynamo)
{
    private const string Queue = "container-queue";
    private const string Definition = "orleans-batch-container";
    private const string EmulatorLabel = Orleans.Batch.BatchEmulator.BatchEmulatorOptions.ContainerLabel;

    [Fact]
    public async Task A_manager_container_job_runs_the_demo_on_two_silo_containers_and_leaves_nothing()
    {
        var image = await TestImage.EnsureBuiltAsync();
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("containers");
        try
        {
            await using (var emulator = await StartEmulatorAsync(image))
            {
                var manager = await SubmitManagerAsync(emulator, table, "--silos", "2");
                var finished = await emulator.Batch.WaitForAnyStatusAsync(manager, ["SUCCEEDED", "FAILED"], TimeSpan.FromMinutes(4));
                var log = string.Join('\n', await emulator.LogLinesAsync(manager));
                finished["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", log);
                log.ShouldContain("Num silos: 2");
                log.ShouldContain("Silo 0: ");
                log.ShouldContain("Silo 1: ");

                await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
                (await dynamo.QueryPartitionAsync(table, manager)).ShouldBeEmpty("the cluster's membership partition was not deleted");
            }

            (await Podman.ContainersAsync(EmulatorLabel)).ShouldBeEmpty("a container of the emulator was left behind");
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_silo_container_stopped_by_Batch_leaves_gracefully_and_stopping_the_manager_job_releases_the_rest()
    {
        var image = await TestImage.EnsureBuiltAsync();
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("containers");
        try
        {
            await using (var emulator = await StartEmulatorAsync(image))
            {
                var manager = await SubmitManagerAsync(emulator, table, "--silos", "3", "--min-silos", "2", "--hold");
                await Eventually.MatchesAsync(
                    async () => (await emulator.Batch.DescribeJobAsync(manager))["container"]?["logStreamName"] is null
                        ? ""
                        : string.Join('\n', await emulator.LogLinesAsync(manager)),
                    log => log.Contains("Holding the cluster up", StringComparison.Ordinal),
                    TimeSpan.FromMinutes(4),
                    "the manager job holds its cluster up");

                // Every silo container runs as the image's non-root user with a read-only root file system.
                var containers = await Podman.ContainersAsync(EmulatorLabel);
                containers.Count.ShouldBe(4, "the manager and three silos run as containers");
                foreach (var container in containers)
                {
                    (await Podman.CheckedAsync("inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}", container)).ShouldBe("1654 true");
                }

                // Batch stops one silo (TerminateJob: SIGTERM to its PID 1, SIGKILL 30 s later): it leaves in time.
                var child = (await emulator.Admin.JobsAsync()).Select(j => j!["jobId"]!.GetValue<string>()).First(id => id.EndsWith(":1", StringComparison.Ordinal));
                var stopping = Stopwatch.StartNew();
                (await emulator.Batch.CallAsync("TerminateJob", new JsonObject { ["jobId"] = child, ["reason"] = "test stops one silo" }.ToJsonString())).Ok();
                var stopped = await emulator.Batch.WaitForAnyStatusAsync(child, ["SUCCEEDED", "FAILED"], TimeSpan.FromSeconds(40));
                stopping.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the silo was not gone within Batch's 30 s grace period");
                stopped["container"]!["exitCode"]!.GetValue<int>().ShouldBe(0, "the silo was killed instead of stopping on SIGTERM");
                var rows = await dynamo.QueryPartitionAsync(table, manager);
                rows.Count(r => !DynamoDBMembershipSchema.IsReservedSortKey(r[DynamoDBMembershipSchema.SortKey].S)
                    && r[DynamoDBMembershipSchema.Status].S == "Dead").ShouldBe(1, "the stopped silo did not declare itself dead");

                // Stopping the manager job is the manager's Ctrl+C: it tears the cluster down before it exits.
                (await emulator.Batch.CallAsync("TerminateJob", new JsonObject { ["jobId"] = manager, ["reason"] = "test stops the manager" }.ToJsonString())).Ok();
                var managerEnd = await emulator.Batch.WaitForAnyStatusAsync(manager, ["SUCCEEDED", "FAILED"], TimeSpan.FromSeconds(40));
                var log = string.Join('\n', await emulator.LogLinesAsync(manager));
                managerEnd["container"]!["exitCode"]!.GetValue<int>().ShouldBe(143, log);
                log.ShouldContain("SIGTERM received: stopping the cluster");
                await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
                (await dynamo.QueryPartitionAsync(table, manager)).ShouldBeEmpty("the cluster's membership partition was not deleted");
            }

            (await Podman.ContainersAsync(EmulatorLabel)).ShouldBeEmpty("a container of the emulator was left behind");
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_rehearsal_with_containers_runs_every_silo_job_as_a_container_of_the_image_and_leaves_nothing()
    {
        var image = await TestImage.EnsureBuiltAsync();
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var environment = DynamoDBLocalFixture.RehearsalEnvironment();
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
            leaks, ["--backend", "rehearsal", "--containers", image, "--silos", "2"], TimeSpan.FromMinutes(3), environment);

        exitCode.ShouldBe(0, stderr);
        stderr.ShouldContain($"silo jobs run as containers of {image}");
        stdout.ShouldStartWith("Num silos: 2");
        stdout.ShouldContain(", pid 1", customMessage: "each silo is its container's PID 1");
        await leaks.AssertNoneLeftAsync();
        (await Podman.ContainersAsync(EmulatorLabel)).ShouldBeEmpty("a container of the rehearsal was left behind");
    }

    private static async Task<BatchEmulatorFixture> StartEmulatorAsync(string image)
    {
        var emulator = await BatchEmulatorFixture.StartAsync((options, _) =>
        {
            options.LauncherPath = null;
            options.Containers = true;
            options.TransitionDelay = TimeSpan.FromMilliseconds(100);
            options.MinimumTimeoutSeconds = 60;
            options.TerminationGracePeriod = TimeSpan.FromSeconds(30);
        });
        await emulator.CreateQueueAsync(Queue);
        var environment = new JsonArray(AwsBatchClusterTests.AwsEnvironment().Select(e => (JsonNode)new JsonObject { ["name"] = e.Key, ["value"] = e.Value }).ToArray());
        (await emulator.Batch.CallAsync("RegisterJobDefinition", new JsonObject
        {
            ["jobDefinitionName"] = Definition,
            ["type"] = "container",
            ["containerProperties"] = new JsonObject
            {
                ["image"] = image,
                ["readonlyRootFilesystem"] = true,
                ["resourceRequirements"] = new JsonArray(new JsonObject { ["type"] = "VCPU", ["value"] = "1" }, new JsonObject { ["type"] = "MEMORY", ["value"] = "512" }),
                ["environment"] = environment,
            },
        }.ToJsonString())).Ok();
        return emulator;
    }

    private async Task<string> SubmitManagerAsync(BatchEmulatorFixture emulator, string table, params string[] flags) =>
        await emulator.Batch.SubmitJobAsync(new JsonObject
        {
            ["jobName"] = "manager",
            ["jobQueue"] = Queue,
            ["jobDefinition"] = Definition,
            ["containerOverrides"] = new JsonObject
            {
                ["command"] = new JsonArray([.. flags.Select(f => (JsonNode)f!),
                    "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table]),
            },
        }.ToJsonString());
}
