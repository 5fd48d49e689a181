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

    [Fact]
    public async Task A_killed_local_managers_cluster_is_orphaned_at_once_because_its_process_is_gone()
    {
        var temp = Directory.CreateTempSubdirectory("orleans-batch-tests-killed-");
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp.FullName };
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(leaks, ["--silos", "1", "--cluster-id", "killed-1", "--hold"], environment);
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));
            var (_, live, _) = await LauncherProcess.RunAsync(leaks, ["list", "--json"], TimeSpan.FromMinutes(1), environment);
            live.ShouldContain("\"orphaned\": false");

            await launcher.SignalAsync("KILL");
            await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));

            // Well inside the 60 s orphan timeout: the lease names a process on this host that no longer runs.
            var (exitCode, listed, stderr) = await LauncherProcess.RunAsync(leaks, ["list", "--json"], TimeSpan.FromMinutes(1), environment);
            exitCode.ShouldBe(0, stderr);
            listed.ShouldContain("\"orphaned\": true");
            listed.ShouldContain("lease holder gone: manager process");

            var (cleaned, output, cleanupErr) = await LauncherProcess.RunAsync(leaks, ["cleanup", "--cluster-id", "killed-1"], TimeSpan.FromMinutes(1), environment);
            cleaned.ShouldBe(0, cleanupErr);
            output.ShouldContain("killed-1");
            Directory.EnumerateFiles(Path.Combine(temp.FullName, "orleans-batch", "membership"), "*.json").ShouldBeEmpty();
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            leaks.KillAll();
            temp.Delete(recursive: true);
        }
    }
}
