using System.Diagnostics;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class SimulatedModeTests
{
    [Fact]
    public async Task Simulated_array_of_10000_children_runs_and_terminates_quickly_without_processes()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) =>
        {
            o.Simulated = true;
            o.LauncherPath = null;
        });
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var stopwatch = Stopwatch.StartNew();
        var parentId = await emulator.SubmitAsync(["exit", "0"], new { arrayProperties = new { size = 10_000 } });

        var parent = await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(parentId),
            p => p["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 10_000,
            TimeSpan.FromSeconds(30),
            "all 10000 children RUNNING",
            TimeSpan.FromMilliseconds(50));
        var allRunning = stopwatch.Elapsed;
        parent["status"]!.GetValue<string>().ShouldBe("PENDING");
        allRunning.ShouldBeLessThan(TimeSpan.FromSeconds(10), "4 transitions of 20 ms for 10000 children should take well under a second");

        var someChildren = (await emulator.Batch.CallAsync("DescribeJobs", new { jobs = Enumerable.Range(9_900, 100).Select(i => $"{parentId}:{i}").ToArray() })).Ok()["jobs"]!.AsArray();
        someChildren.Count.ShouldBe(100);
        someChildren.ShouldAllBe(c => c!["status"]!.GetValue<string>() == "RUNNING");

        var listed = 0;
        string? token = null;
        do
        {
            var page = (await emulator.Batch.CallAsync("ListJobs", new { arrayJobId = parentId, maxResults = 1000, nextToken = token })).Ok();
            listed += page["jobSummaryList"]!.AsArray().Count;
            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);
        listed.ShouldBe(10_000);

        stopwatch.Restart();
        (await emulator.Batch.CallAsync("TerminateJob", new { jobId = parentId, reason = "benchmark over" })).Ok();
        parent = await emulator.Batch.WaitForStatusAsync(parentId, "FAILED", TimeSpan.FromSeconds(10));
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        parent["arrayProperties"]!["statusSummary"]!["FAILED"]!.GetValue<int>().ShouldBe(10_000);
        parent["statusReason"]!.GetValue<string>().ShouldBe("benchmark over");

        var stats = await emulator.Admin.StatsAsync();
        stats["processesStarted"]!.GetValue<int>().ShouldBe(0);
        stats["jobs"]!.GetValue<int>().ShouldBe(10_001);
        stats["jobsByStatus"]!["FAILED"]!.GetValue<int>().ShouldBe(10_001);
    }

    [Fact]
    public async Task Simulated_queue_with_a_run_duration_succeeds_its_jobs_while_other_queues_run_processes()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.SimulatedRunDuration = TimeSpan.FromMilliseconds(100));
        await emulator.CreateQueueAsync("simulated", new { simulated = true });
        await emulator.CreateQueueAsync("real");
        await emulator.RegisterDefinitionAsync();

        var simulated = await emulator.SubmitAsync(["exit", "9"], new { arrayProperties = new { size = 100 } }, queue: "simulated");
        var real = await emulator.SubmitAsync(["exit", "0"], queue: "real");

        var parent = await emulator.Batch.WaitForStatusAsync(simulated, "SUCCEEDED");
        parent["arrayProperties"]!["statusSummary"]!["SUCCEEDED"]!.GetValue<int>().ShouldBe(100);
        await emulator.Batch.WaitForStatusAsync(real, "SUCCEEDED");
        (await emulator.Admin.StatsAsync())["processesStarted"]!.GetValue<int>().ShouldBe(1, "only the real queue runs processes");
    }
}
