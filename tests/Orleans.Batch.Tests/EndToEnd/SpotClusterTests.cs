using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Spot on the production path (the Batch emulator and DynamoDB Local): silos warned of an interruption leave
/// gracefully, reclaimed instances fail their attempt, Batch's retry strategy runs them again under the same job id,
/// and the workload's answer does not change.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SpotClusterTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task Half_the_silos_lost_to_spot_are_replaced_by_batch_and_the_answer_is_the_same()
    {
        const long Samples = 1_200_000_000;
        const int Chunks = 96;
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("spot");
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl,
                 "--table", table, "--silos", "4", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--workload", "montecarlo", "-o", $"samples={Samples}", "-o", $"chunks={Chunks}"],
                AwsBatchClusterTests.AwsEnvironment());
            await launcher.WaitForOutputAsync("montecarlo: ", TimeSpan.FromMinutes(3));
            var children = (await emulator.Admin.JobsAsync("status=RUNNING"))
                .Where(j => j!["arrayIndex"] is not null)
                .ToDictionary(j => j!["arrayIndex"]!.GetValue<int>(), j => j!["jobId"]!.GetValue<string>());

            // One silo is warned (it leaves and exits 75), another's instance is taken without warning.
            await emulator.Admin.SpotNoticeAsync(children[1]);
            await emulator.Admin.ReclaimAsync(children[2]);
            var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(5));

            exitCode.ShouldBe(0, launcher.StandardError);
            launcher.StandardError.ShouldContain($"silo 1 ({children[1]})");
            launcher.StandardError.ShouldMatch(@"silo 2 \(" + children[2] + @"\) at [0-9.:]+ was lost \(Host EC2 \(instance i-[0-9a-f]+\) terminated\.[^)]*\); replacing it");
            launcher.StandardError.ShouldMatch(@"silo 1 \(" + children[1] + @"\) at [0-9.:]+ was lost \([^\n]*exit code 75[^\n]*\); replacing it");
            launcher.StandardError.ShouldNotContain("fewer than the minimum");
            launcher.StandardOutput.ShouldContain($"Monte Carlo estimate of pi: {MonteCarloAnswer.Expected(Samples, Chunks)} ");

            // Retried by Batch under the same job ids, and everything of every attempt has ended.
            var jobs = await emulator.Admin.JobsAsync();
            jobs.Single(j => j!["jobId"]!.GetValue<string>() == children[1])!["attempt"]!.GetValue<int>().ShouldBe(2);
            jobs.Single(j => j!["jobId"]!.GetValue<string>() == children[2])!["attempt"]!.GetValue<int>().ShouldBe(2);
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            (await dynamo.QueryPartitionAsync(table, children[0].Split(':')[0])).Count.ShouldBe(0, "the cluster's membership partition was not deleted");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }
}
