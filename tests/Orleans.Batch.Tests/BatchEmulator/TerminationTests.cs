using System.Diagnostics;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class TerminationTests
{
    [Fact]
    public async Task TerminateJob_sends_SIGTERM_and_the_job_fails_with_the_given_reason()
    {
        // A 30 s grace period: the job can only end this quickly because it handles SIGTERM.
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.TerminationGracePeriod = TimeSpan.FromSeconds(30));
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["sleep", "300"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "RUNNING");
        await Eventually.MatchesAsync(() => emulator.LogLinesAsync(jobId), l => l.Contains("sleeping 300"), TimeSpan.FromSeconds(10), "the script is sleeping");

        var stopwatch = Stopwatch.StartNew();
        (await emulator.Batch.CallAsync("TerminateJob", new { jobId, reason = "Stopped by the test" })).Ok();
        var job = await emulator.Batch.WaitForStatusAsync(jobId, "FAILED", TimeSpan.FromSeconds(10));

        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        job["statusReason"]!.GetValue<string>().ShouldBe("Stopped by the test");
        job["isTerminated"]!.GetValue<bool>().ShouldBeTrue();
        job["container"]!["exitCode"]!.GetValue<int>().ShouldBe(0); // the trap exits 0; terminated jobs fail anyway
        (await emulator.LogLinesAsync(jobId)).ShouldContain("got SIGTERM");
    }

    [Fact]
    public async Task TerminateJob_kills_a_process_that_ignores_SIGTERM_after_the_grace_period()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.TerminationGracePeriod = TimeSpan.FromSeconds(1));
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["ignore-term"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "RUNNING");
        await Eventually.MatchesAsync(() => emulator.LogLinesAsync(jobId), l => l.Contains("ignoring SIGTERM"), TimeSpan.FromSeconds(10), "the script traps SIGTERM");

        var stopwatch = Stopwatch.StartNew();
        (await emulator.Batch.CallAsync("TerminateJob", new { jobId, reason = "Too slow" })).Ok();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        (await emulator.Batch.DescribeJobAsync(jobId))["status"]!.GetValue<string>().ShouldBe("RUNNING", "SIGTERM is ignored, the grace period is not over");
        var job = await emulator.Batch.WaitForStatusAsync(jobId, "FAILED", TimeSpan.FromSeconds(10));

        stopwatch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        job["statusReason"]!.GetValue<string>().ShouldBe("Too slow");
        job["container"]!["exitCode"]!.GetValue<int>().ShouldBe(137); // 128 + SIGKILL

        // The whole container went down, including the sleep the script started.
        var info = (await emulator.Admin.JobsAsync()).Single(j => j!["jobId"]!.GetValue<string>() == jobId)!;
        info["processAlive"]!.GetValue<bool>().ShouldBeFalse();
        info["processGroupAlive"]!.GetValue<bool>().ShouldBeFalse();
        var scriptPids = emulator.Scripts.RecordedProcessIds().ToHashSet();
        scriptPids.Count.ShouldBe(2);
        ProcessTable.Snapshot().Where(p => scriptPids.Contains(p.Pid)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Terminating_an_array_parent_terminates_every_child()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { maxRunning = 2 });
        await emulator.RegisterDefinitionAsync();
        var parentId = await emulator.SubmitAsync(["sleep", "300"], new { arrayProperties = new { size = 3 } });
        await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(parentId),
            p => p["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 2 && p["arrayProperties"]!["statusSummary"]!["RUNNABLE"]?.GetValue<int>() == 1,
            TimeSpan.FromSeconds(10),
            "two children RUNNING, one RUNNABLE behind the cap");

        (await emulator.Batch.CallAsync("TerminateJob", new { jobId = parentId, reason = "Tear-down" })).Ok();
        var parent = await emulator.Batch.WaitForStatusAsync(parentId, "FAILED", TimeSpan.FromSeconds(10));

        parent["statusReason"]!.GetValue<string>().ShouldBe("Tear-down");
        parent["arrayProperties"]!["statusSummary"]!["FAILED"]!.GetValue<int>().ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            var child = await emulator.Batch.DescribeJobAsync($"{parentId}:{i}");
            child["status"]!.GetValue<string>().ShouldBe("FAILED");
            child["statusReason"]!.GetValue<string>().ShouldBe("Tear-down");
        }

        var jobs = await emulator.Admin.JobsAsync();
        jobs.ShouldAllBe(j => !j!["processGroupAlive"]!.GetValue<bool>());
        (await emulator.Admin.StatsAsync())["processesStarted"]!.GetValue<int>().ShouldBe(2, "the third child never started");
    }

    [Fact]
    public async Task TerminateJob_before_STARTING_cancels_the_job()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { stuckReason = "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - held by the test" });
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["exit", "0"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "RUNNABLE");

        (await emulator.Batch.CallAsync("TerminateJob", new { jobId, reason = "Not needed" })).Ok();

        var job = await emulator.Batch.DescribeJobAsync(jobId);
        job["status"]!.GetValue<string>().ShouldBe("FAILED");
        job["statusReason"]!.GetValue<string>().ShouldBe("Not needed");
        job["isCancelled"]!.GetValue<bool>().ShouldBeTrue();
        job["startedAt"].ShouldBeNull();
        (await emulator.Admin.StatsAsync())["processesStarted"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task CancelJob_fails_waiting_jobs_and_leaves_running_ones_alone()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { maxRunning = 1 });
        await emulator.RegisterDefinitionAsync();
        var running = await emulator.SubmitAsync(["sleep", "300"]);
        await emulator.Batch.WaitForStatusAsync(running, "RUNNING");
        var waiting = await emulator.SubmitAsync(["sleep", "300"]);
        await emulator.Batch.WaitForStatusAsync(waiting, "RUNNABLE");

        (await emulator.Batch.CallAsync("CancelJob", new { jobId = running, reason = "cancel" })).Ok();
        (await emulator.Batch.CallAsync("CancelJob", new { jobId = waiting, reason = "cancel" })).Ok();

        var cancelled = await emulator.Batch.DescribeJobAsync(waiting);
        cancelled["status"]!.GetValue<string>().ShouldBe("FAILED");
        cancelled["statusReason"]!.GetValue<string>().ShouldBe("cancel");
        cancelled["isCancelled"]!.GetValue<bool>().ShouldBeTrue();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        (await emulator.Batch.DescribeJobAsync(running))["status"]!.GetValue<string>().ShouldBe("RUNNING");

        // Disposing the emulator kills the running job's process (asserted by the fixture).
    }

    [Fact]
    public async Task TerminateJob_and_CancelJob_of_an_unknown_job_succeed_like_Batch()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();

        (await emulator.Batch.CallAsync("TerminateJob", new { jobId = "no-such-job", reason = "x" })).Ok();
        (await emulator.Batch.CallAsync("CancelJob", new { jobId = "no-such-job", reason = "x" })).Ok();
        (await emulator.Batch.CallAsync("TerminateJob", new { jobId = "", reason = "x" })).ShouldFailWith(System.Net.HttpStatusCode.BadRequest, "ClientException");
    }
}
