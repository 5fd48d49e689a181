using System.Net;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Throttle_fault_answers_the_next_calls_of_one_operation_with_429()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        await emulator.Admin.AddFaultAsync("throttle", "SubmitJob", count: 2);
        var submit = new { jobName = "j", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition };

        (await emulator.Batch.CallAsync("DescribeJobQueues", new { })).Ok(); // other operations are not affected
        (await emulator.Batch.CallAsync("SubmitJob", submit)).ShouldFailWith(HttpStatusCode.TooManyRequests, "TooManyRequestsException");
        (await emulator.Batch.CallAsync("SubmitJob", submit)).ShouldFailWith(HttpStatusCode.TooManyRequests, "TooManyRequestsException");
        (await emulator.Batch.CallAsync("SubmitJob", submit)).Ok();

        (await emulator.Admin.JobsAsync()).Count.ShouldBe(1, "throttled calls create nothing");
        var stats = (await emulator.Admin.StatsAsync())["operations"]!["SubmitJob"]!;
        stats["calls"]!.GetValue<long>().ShouldBe(3);
        stats["injectedFaults"]!.GetValue<long>().ShouldBe(2);
        stats["errors"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task Server_error_fault_for_any_operation_answers_500_ServerException()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.Admin.AddFaultAsync("server-error");

        (await emulator.Batch.CallAsync("ListJobs", new { jobQueue = "q" })).ShouldFailWith(HttpStatusCode.InternalServerError, "ServerException");
        (await emulator.Batch.CallAsync("DescribeJobQueues", new { })).Ok();
    }

    [Fact]
    public async Task Dropped_SubmitJob_response_still_creates_the_job()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { simulated = true });
        await emulator.RegisterDefinitionAsync();
        await emulator.Admin.AddFaultAsync("drop-response", "SubmitJob");

        await Should.ThrowAsync<HttpRequestException>(() => emulator.Batch.CallAsync(
            "SubmitJob", new { jobName = "lost-response", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition }));

        // The client never learned the id, but the job exists: it can be found by name.
        var found = (await emulator.Batch.CallAsync("ListJobs", new
        {
            jobQueue = BatchEmulatorFixture.DefaultQueue,
            filters = new[] { new { name = "JOB_NAME", values = new[] { "lost-response" } } },
        })).Ok()["jobSummaryList"]!.AsArray();
        found.Count.ShouldBe(1);
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(1);
    }
}
