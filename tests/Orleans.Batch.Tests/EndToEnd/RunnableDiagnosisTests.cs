using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Why is it RUNNABLE? When silos wait to start, the manager says why, once per distinct cause and again when it
/// changes: Batch's blocked-job reasons, a compute environment at its maxvCpus, one that turned INVALID; and `list`
/// says the same for a cluster that waits.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RunnableDiagnosisTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task A_full_compute_environment_and_then_one_that_turns_INVALID_are_each_named_with_the_fix()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.PatchQueueAsync("silo-queue", new { ceMaxvCpus = 1 });
        var table = DynamoDBLocalFixture.UniqueTableName("runnable");
        var clusterId = $"runnable-{Guid.NewGuid():N}";
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--min-silos", "1", "--timeout", "25s", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--cluster-id", clusterId],
                AwsBatchClusterTests.AwsEnvironment());

            const string full = "compute environment silo-queue-ce is at its maxvCpus (1): 1 silo waits for capacity while 1 of ours run there; raise maxvCpus or wait for those jobs to end";
            await launcher.WaitForOutputAsync("Why RUNNABLE: " + full, TimeSpan.FromMinutes(1));

            // Another terminal's `list` gives the same answer for the waiting cluster.
            var (listExit, listed, listErrors) = await LauncherProcess.RunAsync(
                leaks,
                ["list", "--batch-endpoint", emulator.BaseAddress.ToString(), "--queue", "silo-queue", "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table, "--region", "us-east-1"],
                TimeSpan.FromMinutes(1),
                AwsBatchClusterTests.AwsEnvironment());
            listExit.ShouldBe(0, listErrors);
            listed.ShouldContain($"Why RUNNABLE ({clusterId}): {full}");

            await emulator.Admin.PatchQueueAsync("silo-queue", new { ceStatus = "INVALID", ceStatusReason = "CLIENT_ERROR - the instance role was deleted" });
            await launcher.WaitForOutputAsync("Why RUNNABLE: compute environment silo-queue-ce is INVALID: CLIENT_ERROR - the instance role was deleted", TimeSpan.FromSeconds(30));

            (await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(0, launcher.StandardError);
            launcher.StandardError.Split('\n').Count(l => l.Contains("is at its maxvCpus", StringComparison.Ordinal)).ShouldBe(1, "a cause is said once, not every poll");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_resource_requirement_no_instance_meets_is_Batchs_reason_with_the_fix()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.PatchQueueAsync("silo-queue", new { maxVcpus = 0.5 });
        var leaks = new ProcessLeakDetector();

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(
            leaks,
            ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl,
             "--silos", "2", "--timeout", "8s", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1"],
            TimeSpan.FromMinutes(1),
            AwsBatchClusterTests.AwsEnvironment());

        exitCode.ShouldBe(1, stderr);
        stderr.ShouldContain("Why RUNNABLE: 2 silos wait in RUNNABLE: MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");
        stderr.ShouldContain("no compute environment of the queue can give one silo's vCPUs, memory or GPUs: lower --vcpus/--memory/--gpus or add larger instance types");
        await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
        await leaks.AssertNoneLeftAsync();
    }
}
