using System.Diagnostics;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>A manager killed without tearing down leaves nothing billed behind: its silos stop by themselves.</summary>
[Collection(ProcessCollection.Name)]
public sealed class OrphanProtectionTests(DynamoDBLocalFixture dynamo)
{
    private static readonly TimeSpan OrphanTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Batch_silo_jobs_end_within_the_orphan_timeout_after_the_manager_is_killed()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("orphan");
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--orphan-timeout", "10s", "--max-runtime", "2m", "--hold"],
                AwsBatchClusterTests.AwsEnvironment());
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));

            // The hard cap rides on every silo job: Batch ends it even if nothing else does.
            var parent = (await emulator.Admin.JobsAsync()).Single(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal))!["jobId"]!.GetValue<string>();
            (await emulator.Batch.DescribeJobAsync(parent))["timeout"]!["attemptDurationSeconds"]!.GetValue<int>().ShouldBe(120);

            await launcher.SignalAsync("KILL");
            await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var killed = Stopwatch.StartNew();

            // No TerminateJob was sent: the silos notice the lease is stale and stop; their jobs end.
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            killed.Elapsed.ShouldBeLessThan(OrphanTimeout + TimeSpan.FromSeconds(25), "silo jobs outlived the orphan timeout by far");
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(0);
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }
}
