using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class AdminApiTests
{
    [Fact]
    public async Task Stats_count_every_call_per_operation_and_can_be_reset()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { simulated = true });
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["exit", "0"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "RUNNING");
        (await emulator.Batch.CallAsync("TerminateJob", new { jobId, reason = "done" })).Ok();

        var stats = await emulator.Admin.StatsAsync();
        var operations = stats["operations"]!;
        operations["SubmitJob"]!["calls"]!.GetValue<long>().ShouldBe(1);
        operations["TerminateJob"]!["calls"]!.GetValue<long>().ShouldBe(1);
        operations["RegisterJobDefinition"]!["calls"]!.GetValue<long>().ShouldBe(1);
        operations["DescribeJobs"]!["calls"]!.GetValue<long>().ShouldBeGreaterThan(0);
        operations["SubmitJob"]!["errors"]!.GetValue<long>().ShouldBe(0);
        stats["jobs"]!.GetValue<int>().ShouldBe(1);
        stats["jobsByStatus"]!["FAILED"]!.GetValue<int>().ShouldBe(1);

        (await emulator.Batch.CallAsync("SubmitJob", new { jobName = "x", jobQueue = "missing", jobDefinition = "missing" })).Status.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await emulator.Admin.StatsAsync())["operations"]!["SubmitJob"]!["errors"]!.GetValue<long>().ShouldBe(1);

        using var reset = await emulator.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "_emulator/stats"));
        reset.IsSuccessStatusCode.ShouldBeTrue();
        (await emulator.Admin.StatsAsync())["operations"]!.AsObject().Count.ShouldBe(0);
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(0);
    }

    [Fact]
    public async Task Admin_jobs_lists_every_job_with_its_process()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var running = await emulator.SubmitAsync(["sleep", "300"]);
        var done = await emulator.SubmitAsync(["exit", "0"]);
        await emulator.Batch.WaitForStatusAsync(running, "RUNNING");
        await emulator.Batch.WaitForStatusAsync(done, "SUCCEEDED");

        var jobs = await emulator.Admin.JobsAsync();
        var runningInfo = jobs.Single(j => j!["jobId"]!.GetValue<string>() == running)!;
        runningInfo["status"]!.GetValue<string>().ShouldBe("RUNNING");
        runningInfo["processAlive"]!.GetValue<bool>().ShouldBeTrue();
        runningInfo["processGroupAlive"]!.GetValue<bool>().ShouldBeTrue();
        var pid = runningInfo["processId"]!.GetValue<int>();
        ProcessTable.Snapshot().ShouldContain(p => p.Pid == pid && p.CommandLine.Contains(emulator.Scripts.JobScript, StringComparison.Ordinal));

        var doneInfo = jobs.Single(j => j!["jobId"]!.GetValue<string>() == done)!;
        doneInfo["processAlive"]!.GetValue<bool>().ShouldBeFalse();
        doneInfo["exitCode"]!.GetValue<int>().ShouldBe(0);
        doneInfo["processId"]!.GetValue<int>().ShouldBeGreaterThan(0);

        (await emulator.Admin.JobsAsync("status=RUNNING")).Select(j => j!["jobId"]!.GetValue<string>()).ShouldBe([running]);
    }

    [Fact]
    public async Task Queue_settings_are_validated_and_a_bad_request_changes_nothing()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { maxRunning = 3 });

        async Task<System.Net.HttpStatusCode> Send(HttpMethod method, string path, string body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = BatchTestClient.JsonContent(body, "application/json") };
            using var response = await emulator.Admin.SendAsync(request);
            return response.StatusCode;
        }

        (await Send(HttpMethod.Post, "_emulator/queues", """{"name":"q2","maxRunnin":1}""")).ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Post, "_emulator/queues", """{"name":"q2","maxRunning":"many"}""")).ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Post, "_emulator/queues", """{"maxRunning":1}""")).ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await Send(HttpMethod.Patch, "_emulator/queues/missing", """{"maxRunning":1}""")).ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await Send(HttpMethod.Patch, "_emulator/queues/" + BatchEmulatorFixture.DefaultQueue, """{"maxRunning":1,"state":"PAUSED"}""")).ShouldBe(System.Net.HttpStatusCode.BadRequest);
        using (var badFault = new HttpRequestMessage(HttpMethod.Post, "_emulator/faults") { Content = BatchTestClient.JsonContent("""{"kind":"explode"}""", "application/json") })
        using (var response = await emulator.Admin.SendAsync(badFault))
        {
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        }

        var queue = (await emulator.Admin.QueuesAsync()).Single()!;
        queue["name"]!.GetValue<string>().ShouldBe(BatchEmulatorFixture.DefaultQueue);
        queue["maxRunning"]!.GetValue<int>().ShouldBe(3);
        queue["state"]!.GetValue<string>().ShouldBe("ENABLED");

        // Replacing a queue resets what the new settings do not mention.
        var replaced = await emulator.CreateQueueAsync(settings: new { computeEnvironment = "other-ce" });
        replaced["maxRunning"].ShouldBeNull();
        replaced["computeEnvironment"]!.GetValue<string>().ShouldBe("other-ce");
        var described = (await emulator.Batch.CallAsync("DescribeJobQueues", new { })).Ok()["jobQueues"]![0]!;
        described["computeEnvironmentOrder"]![0]!["computeEnvironment"]!.GetValue<string>().ShouldEndWith(":compute-environment/other-ce");
    }
}
