using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class StateMachineTests
{
    private const string Misconfigured =
        "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.";

    [Fact]
    public async Task Job_moves_through_every_state_one_transition_delay_at_a_time()
    {
        var delay = TimeSpan.FromSeconds(10);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) =>
        {
            o.TransitionDelay = delay;
            o.SimulatedRunDuration = delay;
        }, time);
        await emulator.CreateQueueAsync(settings: new { simulated = true });
        await emulator.RegisterDefinitionAsync();
        var submittedAt = time.GetUtcNow();
        var jobId = await emulator.SubmitAsync(["exit", "0"]);

        var job = await emulator.Batch.DescribeJobAsync(jobId);
        job["status"]!.GetValue<string>().ShouldBe("SUBMITTED");
        job["createdAt"]!.GetValue<long>().ShouldBe(submittedAt.ToUnixTimeMilliseconds());

        foreach (var next in new[] { "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED" })
        {
            // Just short of the delay nothing happens; at the delay the job moves on.
            time.Advance(delay - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50, TestContext.Current.CancellationToken);
            (await emulator.Batch.DescribeJobAsync(jobId))["status"]!.GetValue<string>().ShouldNotBe(next);
            time.Advance(TimeSpan.FromMilliseconds(1));
            job = await emulator.Batch.WaitForStatusAsync(jobId, next, TimeSpan.FromSeconds(5));
        }

        job["startedAt"]!.GetValue<long>().ShouldBe((submittedAt + (4 * delay)).ToUnixTimeMilliseconds());
        job["stoppedAt"]!.GetValue<long>().ShouldBe((submittedAt + (5 * delay)).ToUnixTimeMilliseconds());
        job["statusReason"]!.GetValue<string>().ShouldBe("Essential container in task exited");
        job["container"]!["exitCode"]!.GetValue<int>().ShouldBe(0);
        job["container"]!["logStreamName"]!.GetValue<string>().ShouldStartWith(BatchEmulatorFixture.DefaultDefinition + "/default/");
    }

    [Fact]
    public async Task Real_time_job_passes_through_all_states_in_order()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.TransitionDelay = TimeSpan.FromMilliseconds(150));
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var started = DateTime.UtcNow;
        var jobId = await emulator.SubmitAsync(["sleep", "0.3"]);

        var seen = new List<string>();
        while (seen.LastOrDefault() is not ("SUCCEEDED" or "FAILED"))
        {
            var status = (await emulator.Batch.DescribeJobAsync(jobId))["status"]!.GetValue<string>();
            if (seen.LastOrDefault() != status)
            {
                seen.Add(status);
            }

            (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(20), $"statuses so far: {string.Join(" -> ", seen)}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        seen.ShouldBe(["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"]);
        (DateTime.UtcNow - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(4 * 150));
    }

    [Fact]
    public async Task Stuck_queue_keeps_jobs_RUNNABLE_with_the_given_reason_until_released()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { stuckReason = Misconfigured });
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["exit", "0"]);

        var job = await emulator.Batch.WaitForStatusAsync(jobId, "RUNNABLE");
        job = await Eventually.MatchesAsync(() => emulator.Batch.DescribeJobAsync(jobId), j => j["statusReason"] is not null, TimeSpan.FromSeconds(5), "the stuck reason shows");
        job["statusReason"]!.GetValue<string>().ShouldBe(Misconfigured);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        (await emulator.Batch.DescribeJobAsync(jobId))["status"]!.GetValue<string>().ShouldBe("RUNNABLE");

        await emulator.Admin.PatchQueueAsync(BatchEmulatorFixture.DefaultQueue, new { stuckReason = (string?)null });
        job = await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");
        job["statusReason"]!.GetValue<string>().ShouldBe("Essential container in task exited");
    }

    [Fact]
    public async Task Job_asking_for_more_than_the_compute_environment_has_stays_RUNNABLE_as_misconfigured()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { maxVcpus = 4, maxMemoryMiB = 8192 });
        await emulator.RegisterDefinitionAsync();
        var fits = await emulator.SubmitAsync(["exit", "0"]);
        var tooBig = await emulator.SubmitAsync(["exit", "0"], new
        {
            containerOverrides = new { resourceRequirements = new[] { new { type = "VCPU", value = "16" } } },
        });

        await emulator.Batch.WaitForStatusAsync(fits, "SUCCEEDED");
        var job = await Eventually.MatchesAsync(() => emulator.Batch.DescribeJobAsync(tooBig), j => j["statusReason"] is not null, TimeSpan.FromSeconds(5), "the misconfiguration shows");
        job["status"]!.GetValue<string>().ShouldBe("RUNNABLE");
        job["statusReason"]!.GetValue<string>().ShouldBe(Misconfigured);
        job["container"]!["resourceRequirements"]!.AsArray().ShouldContain(r => r!["type"]!.GetValue<string>() == "VCPU" && r["value"]!.GetValue<string>() == "16");

        // A bigger compute environment lets it run.
        await emulator.Admin.PatchQueueAsync(BatchEmulatorFixture.DefaultQueue, new { maxVcpus = 32 });
        await emulator.Batch.WaitForStatusAsync(tooBig, "SUCCEEDED");
    }

    [Fact]
    public async Task Queue_runs_at_most_maxRunning_jobs_at_once_and_keeps_the_rest_RUNNABLE()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.SimulatedRunDuration = TimeSpan.FromMilliseconds(400));
        await emulator.CreateQueueAsync(settings: new { maxRunning = 2, simulated = true });
        await emulator.RegisterDefinitionAsync();
        var parent = await emulator.SubmitAsync(["exit", "0"], new { arrayProperties = new { size = 6 } });

        var maxActive = 0;
        JsonNode job;
        do
        {
            job = await emulator.Batch.DescribeJobAsync(parent);
            var summary = job["arrayProperties"]!["statusSummary"]!;
            var active = (summary["STARTING"]?.GetValue<int>() ?? 0) + (summary["RUNNING"]?.GetValue<int>() ?? 0);
            active.ShouldBeLessThanOrEqualTo(2, summary.ToJsonString());
            maxActive = Math.Max(maxActive, active);
            var queue = (await emulator.Admin.QueuesAsync()).Single()!;
            queue["activeJobs"]!.GetValue<int>().ShouldBeLessThanOrEqualTo(2);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        while (job["status"]!.GetValue<string>() != "SUCCEEDED");

        maxActive.ShouldBe(2);
        job["arrayProperties"]!["statusSummary"]!["SUCCEEDED"]!.GetValue<int>().ShouldBe(6);
    }

    [Fact]
    public async Task Timeout_terminates_a_job_that_runs_too_long()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["sleep", "60"], new { timeout = new { attemptDurationSeconds = 1 } });

        var running = await emulator.Batch.WaitForStatusAsync(jobId, "RUNNING");
        running["timeout"]!["attemptDurationSeconds"]!.GetValue<int>().ShouldBe(1);
        var job = await emulator.Batch.WaitForStatusAsync(jobId, "FAILED", TimeSpan.FromSeconds(15));

        job["statusReason"]!.GetValue<string>().ShouldBe("Job attempt duration exceeded timeout");
        var ranFor = job["stoppedAt"]!.GetValue<long>() - job["startedAt"]!.GetValue<long>();
        ranFor.ShouldBeInRange(1000, 5000); // SIGTERM at 1 s; the script stops at once
        (await emulator.LogLinesAsync(jobId)).ShouldContain("got SIGTERM");
    }

    [Fact]
    public async Task Failed_attempt_is_retried_as_the_retry_strategy_allows()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["fail-before-attempt", "2"], new { retryStrategy = new { attempts = 3 } });

        var job = await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");

        var attempts = job["attempts"]!.AsArray();
        attempts.Count.ShouldBe(2);
        attempts[0]!["container"]!["exitCode"]!.GetValue<int>().ShouldBe(5);
        attempts[1]!["container"]!["exitCode"]!.GetValue<int>().ShouldBe(0);
        attempts[0]!["container"]!["logStreamName"]!.GetValue<string>().ShouldNotBe(attempts[1]!["container"]!["logStreamName"]!.GetValue<string>());
        job["container"]!["logStreamName"]!.GetValue<string>().ShouldBe(attempts[1]!["container"]!["logStreamName"]!.GetValue<string>());
    }
}
