using System.Text.RegularExpressions;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// The command line grows and shrinks a running cluster (<c>--workload elastic</c>) and scales it with its load
/// (<c>--scale adaptive</c>), locally and as Batch jobs, and releases every silo of every generation.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class ElasticClusterTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task The_elastic_workload_grows_2_to_4_and_back_to_2_locally_while_calls_run()
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "2", "--workload", "elastic"], TimeSpan.FromMinutes(3));

        exitCode.ShouldBe(0, stderr);
        stdout.ShouldContain("elastic: 2 silos (local-0, local-1)");
        stdout.ShouldContain("elastic: grew to 4 silos (added local-2, local-3)");
        stdout.ShouldContain("elastic: every one of the 4 silos answered");
        stdout.ShouldContain("elastic: shrank to 2 silos (removed local-2, local-3)");
        CallsLine().Match(stdout).Groups["silos"].Value.ShouldBe("4", stdout);
        stderr.ShouldContain("silo 3 (local-3) at 127.0.0.1");
        stderr.ShouldContain("left the cluster: removed by the manager");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task On_batch_growth_is_a_second_array_job_and_tear_down_ends_the_jobs_of_both()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("elastic");
        var leaks = new ProcessLeakDetector();
        try
        {
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl,
                 "--table", table, "--silos", "2", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--workload", "elastic"],
                TimeSpan.FromMinutes(4),
                AwsBatchClusterTests.AwsEnvironment());

            exitCode.ShouldBe(0, stderr);
            stdout.ShouldContain("elastic: shrank to 2 silos");

            // Two submissions under one cluster id; the two removed silos stopped one by one, then one TerminateJob per submission.
            var jobs = await emulator.Admin.JobsAsync();
            var parents = jobs.Where(j => j!["arraySize"] is not null).ToList();
            parents.Count.ShouldBe(2);
            (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(2);
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(4);
            var clusterId = parents[0]!["jobId"]!.GetValue<string>();
            stdout.ShouldContain($"added {parents[1]!["jobId"]!.GetValue<string>()}:0, {parents[1]!["jobId"]!.GetValue<string>()}:1");
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            (await dynamo.QueryPartitionAsync(table, clusterId)).Count.ShouldBe(0, "the cluster's membership partition was not deleted");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task Adaptive_scaling_grows_under_load_and_shrinks_back_when_idle()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(
            leaks,
            ["--silos", "1:2", "--scale", "adaptive", "--scale-cooldown", "3s", "--workload", "montecarlo", "-o", "samples=2e9", "--hold"]);

        await launcher.WaitForOutputAsync("adding 1 silo(s) (1 → 2, at most 2)", TimeSpan.FromMinutes(2));
        await launcher.WaitForOutputAsync("silo 1 (local-1)", TimeSpan.FromMinutes(1));
        await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(2));
        await launcher.WaitForOutputAsync("removing 1 silo(s) (2 → 1, at least 1)", TimeSpan.FromMinutes(1));
        await launcher.WaitForOutputAsync("left the cluster: removed by the manager", TimeSpan.FromMinutes(1));
        await launcher.SignalAsync("TERM");
        await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1));

        launcher.StandardOutput.ShouldContain("Monte Carlo estimate of pi: 3.14");
        launcher.StandardError.ShouldMatch(@"adaptive: CPU \d+ %, [\d,]+ activations on 1 silos; adding 1 silo");
        await leaks.AssertNoneLeftAsync();
    }

    [GeneratedRegex(@"elastic: (?<calls>\d+) calls ran on (?<silos>\d+) silos while the cluster changed; (?<retried>\d+) were retried")]
    private static partial Regex CallsLine();
}
