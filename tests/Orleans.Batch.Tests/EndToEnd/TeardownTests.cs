using System.Text.Json.Nodes;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Tear-down never gives up quietly: while Batch refuses TerminateJob the manager keeps trying and keeps the lease
/// and rows; when it does give up it says what is left, prints the cleanup command, exits 3, and leaves the cluster
/// marked so that <c>list</c> and <c>cleanup</c> act on it at once.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TeardownTests(DynamoDBLocalFixture dynamo)
{
    private const string Queue = "silo-queue";
    private const string Definition = "orleans-batch";

    [Fact]
    public async Task A_terminate_job_storm_is_outlasted_and_the_lease_stays_until_the_jobs_have_ended()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("storm");
        var leaks = new ProcessLeakDetector();
        try
        {
            var clusterId = NewClusterId();
            await using var manager = await StartHeldClusterAsync(leaks, emulator, table, clusterId);

            // Ten refusals in a row: more than one call's own retries.
            await emulator.Admin.AddFaultAsync("throttle", "TerminateJob", count: 5);
            await emulator.Admin.AddFaultAsync("server-error", "TerminateJob", count: 5);
            await manager.SignalAsync("INT");

            // Until the manager exits, the lease is never gone while a silo job still runs.
            var observations = 0;
            while (!manager.HasExited)
            {
                var leaseThere = (await dynamo.QueryPartitionAsync(table, clusterId)).Any(r => r[DynamoDBMembershipSchema.SortKey].S == DynamoDBMembershipSchema.LeaseSortKey);
                var running = (await emulator.Admin.JobsAsync()).Count(j => j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal)
                    && j["status"]!.GetValue<string>() is not ("SUCCEEDED" or "FAILED"));
                if (!manager.HasExited)
                {
                    (leaseThere || running == 0).ShouldBeTrue($"the lease was deleted while {running} silo job(s) still ran");
                    observations++;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            (await manager.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldBe(130, manager.StandardError);
            observations.ShouldBeGreaterThan(5);
            manager.StandardError.ShouldContain("retrying with backoff");
            manager.StandardError.ShouldContain("membership rows deleted");
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBeGreaterThanOrEqualTo(11);
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty();
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            leaks.KillAll();
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task When_batch_never_accepts_the_manager_gives_up_loudly_and_cleanup_finishes_the_job()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("giveup");
        var leaks = new ProcessLeakDetector();
        try
        {
            var clusterId = NewClusterId();
            await using var manager = await StartHeldClusterAsync(leaks, emulator, table, clusterId, "--teardown-timeout", "5s");
            await emulator.Admin.AddFaultAsync("server-error", "TerminateJob", count: 100_000);

            await manager.SignalAsync("INT");

            (await manager.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldBe(3, manager.StandardError);
            var stderr = manager.StandardError;
            stderr.ShouldContain("tear-down gave up");
            var parent = (await emulator.Admin.JobsAsync()).Single(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal))!["jobId"]!.GetValue<string>();
            stderr.ShouldContain($"{parent}:0");
            var cleanup = stderr.Split('\n').Select(l => l.Trim()).Single(l => l.Contains(" cleanup --cluster-id ", StringComparison.Ordinal));
            cleanup.ShouldContain($"--cluster-id {clusterId}");

            // The lease and rows were kept and the cluster is marked: list calls it orphaned right away.
            var listed = await ListAsync(emulator, table, leaks);
            var cluster = listed["clusters"]!.AsArray().Single(c => c!["clusterId"]!.GetValue<string>() == clusterId)!;
            cluster["orphaned"]!.GetValue<bool>().ShouldBeTrue(cluster.ToJsonString() + "\n" + stderr);
            cluster["lease"]!.GetValue<string>().ShouldBe("abandoned");

            // Batch answers again: the printed command releases what is left.
            await emulator.Admin.ClearFaultsAsync();
            var words = cleanup.Split(' ');
            Path.GetFileName(words[0]).ShouldBe("dotnet");
            words[1].ShouldBe(LauncherProcess.LauncherDll);
            var (exitCode, stdout, cleanupErr) = await LauncherProcess.RunAsync(leaks, words[2..], TimeSpan.FromMinutes(2), AwsBatchClusterTests.AwsEnvironment());
            exitCode.ShouldBe(0, cleanupErr);
            stdout.ShouldContain(clusterId, Case.Sensitive, cleanupErr);
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty(stdout + cleanupErr);
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty();
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            leaks.KillAll();
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    private static string NewClusterId() => $"td-{Guid.NewGuid():N}"[..20];

    /// <summary>Two silo jobs on the emulator, held up until a signal, with a short orphan timeout.</summary>
    private async Task<LauncherProcess> StartHeldClusterAsync(ProcessLeakDetector leaks, BatchEmulatorFixture emulator, string table, string clusterId, params string[] extra)
    {
        var manager = LauncherProcess.Start(
            leaks,
            ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
             "--silos", "2", "--queue", Queue, "--definition", Definition, "--region", "us-east-1", "--orphan-timeout", "6s", "--hold", "--cluster-id", clusterId, .. extra],
            AwsBatchClusterTests.AwsEnvironment());
        await manager.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));
        return manager;
    }

    private async Task<JsonNode> ListAsync(BatchEmulatorFixture emulator, string table, ProcessLeakDetector leaks)
    {
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
            leaks,
            ["list", "--json", "--table", table, "--dynamodb-endpoint", dynamo.ServiceUrl, "--region", "us-east-1", "--queue", Queue, "--batch-endpoint", emulator.BaseAddress.ToString()],
            TimeSpan.FromMinutes(1),
            AwsBatchClusterTests.AwsEnvironment());
        exitCode.ShouldBe(0, stderr);
        return JsonNode.Parse(stdout)!;
    }

}
