using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

/// <summary>
/// The emulator's compute environments: DescribeComputeEnvironments, and maxvCpus as capacity (jobs wait in RUNNABLE
/// while it is used up; a job larger than it never leaves RUNNABLE, with Batch's resource-requirement reason).
/// </summary>
public sealed class ComputeEnvironmentTests
{
    [Fact]
    public async Task DescribeComputeEnvironments_reports_state_status_type_and_capacity_as_configured()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync("q", new { ceMaxvCpus = 16, ceType = "SPOT", ceStatus = "INVALID", ceStatusReason = "CLIENT_ERROR - bad subnet", ceInstanceTypes = new[] { "c7g" } });

        var response = (await emulator.Batch.CallAsync("DescribeComputeEnvironments", """{"computeEnvironments":["q-ce"]}""")).Ok();

        var environment = response["computeEnvironments"]!.AsArray().ShouldHaveSingleItem()!;
        environment["computeEnvironmentName"]!.GetValue<string>().ShouldBe("q-ce");
        environment["state"]!.GetValue<string>().ShouldBe("ENABLED");
        environment["status"]!.GetValue<string>().ShouldBe("INVALID");
        environment["statusReason"]!.GetValue<string>().ShouldBe("CLIENT_ERROR - bad subnet");
        environment["computeResources"]!["type"]!.GetValue<string>().ShouldBe("SPOT");
        environment["computeResources"]!["maxvCpus"]!.GetValue<int>().ShouldBe(16);
        environment["computeResources"]!["instanceTypes"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["c7g"]);
    }

    [Fact]
    public async Task Jobs_wait_in_RUNNABLE_while_maxvCpus_is_used_up_and_start_as_capacity_frees()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { ceMaxvCpus = 2 });
        await emulator.RegisterDefinitionAsync();
        var parent = await emulator.SubmitAsync(["sleep", "600"], new { arrayProperties = new { size = 6 } });

        await Eventually.MatchesAsync(
            async () => (await emulator.Batch.DescribeJobAsync(parent))["arrayProperties"]!["statusSummary"]!,
            s => s["RUNNING"]?.GetValue<int>() == 2 && s["RUNNABLE"]?.GetValue<int>() == 4,
            TimeSpan.FromSeconds(20),
            "two children run (1 vCPU each, maxvCpus 2) and four wait");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        (await emulator.Batch.DescribeJobAsync(parent))["arrayProperties"]!["statusSummary"]!["RUNNING"]!.GetValue<int>().ShouldBe(2, "capacity is not exceeded later either");

        // One running child ends: the head of the queue takes its place.
        (await emulator.Batch.CallAsync("TerminateJob", new JsonObject { ["jobId"] = parent + ":0", ["reason"] = "free a slot" }.ToJsonString())).Ok();
        await Eventually.MatchesAsync(
            async () => (await emulator.Batch.DescribeJobAsync(parent))["arrayProperties"]!["statusSummary"]!,
            s => s["RUNNING"]?.GetValue<int>() == 2 && s["RUNNABLE"]?.GetValue<int>() == 3,
            TimeSpan.FromSeconds(20),
            "a waiting child starts in the freed capacity");
    }

    [Fact]
    public async Task A_job_larger_than_maxvCpus_stays_RUNNABLE_with_the_resource_requirement_reason()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { ceMaxvCpus = 2 });
        await emulator.RegisterDefinitionAsync();
        var job = await emulator.SubmitAsync(["exit", "0"], new { containerOverrides = new { resourceRequirements = new[] { new { type = "VCPU", value = "4" } } } });

        var described = await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(job),
            j => j["statusReason"] is not null,
            TimeSpan.FromSeconds(10),
            "the job gets a status reason");
        described["status"]!.GetValue<string>().ShouldBe("RUNNABLE");
        described["statusReason"]!.GetValue<string>().ShouldStartWith("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");
    }

    [Fact]
    public async Task A_compute_environment_that_turns_INVALID_places_no_more_jobs()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { ceStatus = "INVALID", ceStatusReason = "CLIENT_ERROR - no instance role" });
        await emulator.RegisterDefinitionAsync();
        var job = await emulator.SubmitAsync(["exit", "0"]);
        await emulator.Batch.WaitForAnyStatusAsync(job, ["RUNNABLE"], TimeSpan.FromSeconds(10));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        (await emulator.Batch.DescribeJobAsync(job))["status"]!.GetValue<string>().ShouldBe("RUNNABLE");

        await emulator.Admin.PatchQueueAsync(BatchEmulatorFixture.DefaultQueue, new { ceStatus = "VALID" });
        await emulator.Batch.WaitForAnyStatusAsync(job, ["SUCCEEDED"], TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_queues_jobStateTimeLimitActions_cancel_a_job_blocked_for_that_reason_and_spare_the_others()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((options, _) => options.StateTimeLimitScale = 0.005);
        var action = new { reason = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", state = "RUNNABLE", maxTimeSeconds = 600, action = "CANCEL" };
        await emulator.CreateQueueAsync(settings: new { ceMaxvCpus = 2, jobStateTimeLimitActions = new[] { action } });
        await emulator.RegisterDefinitionAsync();
        (await emulator.Batch.CallAsync("DescribeJobQueues", """{"jobQueues":["test-queue"]}""")).Ok()["jobQueues"]![0]!["jobStateTimeLimitActions"]![0]!["maxTimeSeconds"]!.GetValue<int>().ShouldBe(600);

        var blocked = await emulator.SubmitAsync(["exit", "0"], new { containerOverrides = new { resourceRequirements = new[] { new { type = "VCPU", value = "4" } } } });
        var fits = await emulator.SubmitAsync(["sleep", "600"]);

        // 600 s scaled by 0.005: the blocked job is cancelled about 3 s after it became RUNNABLE.
        var cancelled = await emulator.Batch.WaitForAnyStatusAsync(blocked, ["FAILED", "SUCCEEDED"], TimeSpan.FromSeconds(20));
        cancelled["status"]!.GetValue<string>().ShouldBe("FAILED");
        cancelled["statusReason"]!.GetValue<string>().ShouldBe("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");
        cancelled["startedAt"].ShouldBeNull();
        (await emulator.Batch.DescribeJobAsync(fits))["status"]!.GetValue<string>().ShouldBe("RUNNING");
    }
}
