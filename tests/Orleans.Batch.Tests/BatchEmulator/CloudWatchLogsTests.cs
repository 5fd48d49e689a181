using System.Net;
using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class CloudWatchLogsTests
{
    private static readonly string[] Lines = ["one", "two", "three", "four", "five"];

    [Fact]
    public async Task GetLogEvents_pages_forward_through_a_job_stdout_and_stderr()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        var (job, stream) = await RunPrintingJobAsync(emulator);

        var messages = new List<string>();
        var timestamps = new List<long>();
        var first = (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = stream, startFromHead = true, limit = 2 }));
        first.ContentType.ShouldBe("application/x-amz-json-1.1");
        var page = first.Ok();
        var pages = 0;
        while (true)
        {
            var events = page["events"]!.AsArray();
            foreach (var e in events)
            {
                messages.Add(e!["message"]!.GetValue<string>());
                timestamps.Add(e["timestamp"]!.GetValue<long>());
                e["ingestionTime"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(e["timestamp"]!.GetValue<long>());
            }

            var token = page["nextForwardToken"]!.GetValue<string>();
            page["nextBackwardToken"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            if (events.Count == 0)
            {
                break;
            }

            events.Count.ShouldBeLessThanOrEqualTo(2);
            var next = (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = stream, startFromHead = true, limit = 2, nextToken = token })).Ok();
            if (next["events"]!.AsArray().Count == 0)
            {
                // At the end of the stream the same token comes back.
                next["nextForwardToken"]!.GetValue<string>().ShouldBe(token);
            }

            page = next;
            pages++;
        }

        pages.ShouldBe(3);
        messages.Where(m => m != "stderr-line").ShouldBe(Lines);
        messages.ShouldContain("stderr-line");
        messages.Count.ShouldBe(6);
        timestamps.ShouldBe(timestamps.Order().ToList());
        timestamps[0].ShouldBeGreaterThanOrEqualTo(job["startedAt"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetLogEvents_without_startFromHead_returns_the_latest_events_and_pages_backward()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        var (_, stream) = await RunPrintingJobAsync(emulator);

        var latest = (await emulator.Batch.GetLogEventsAsync(new { logGroupIdentifier = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/batch/job", logStreamName = stream, limit = 2 })).Ok();
        var all = (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = stream, startFromHead = true })).Ok()["events"]!.AsArray();
        Messages(latest).ShouldBe(all.TakeLast(2).Select(e => e!["message"]!.GetValue<string>()));

        var earlier = (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = stream, limit = 2, nextToken = latest["nextBackwardToken"]!.GetValue<string>() })).Ok();
        Messages(earlier).ShouldBe(all.SkipLast(2).TakeLast(2).Select(e => e!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetLogEvents_errors_follow_the_CloudWatch_Logs_contract()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();

        var unknownStream = await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = "test-job/default/nope" });
        unknownStream.ShouldFailWith(HttpStatusCode.BadRequest, "ResourceNotFoundException").ShouldBe("The specified log stream does not exist.");
        unknownStream.Body!["__type"]!.GetValue<string>().ShouldBe("ResourceNotFoundException");
        unknownStream.ContentType.ShouldBe("application/x-amz-json-1.1");

        (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/other", logStreamName = "x" }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ResourceNotFoundException").ShouldBe("The specified log group does not exist.");
        (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job" }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "InvalidParameterException");
        (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = "x", limit = 0 }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "InvalidParameterException");
        (await emulator.Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = "x" }, target: "Logs_20140328.PutLogEvents"))
            .ShouldFailWith(HttpStatusCode.BadRequest, "UnknownOperationException");

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "") { Content = BatchTestClient.JsonContent(new { logGroupName = "/aws/batch/job", logStreamName = "x" }, "application/x-amz-json-1.1") };
        unsigned.Headers.Add("X-Amz-Target", "Logs_20140328.GetLogEvents");
        (await emulator.Batch.SendUnsignedAsync(unsigned)).ShouldFailWith(HttpStatusCode.Forbidden, "MissingAuthenticationTokenException");
        (await emulator.Admin.CallsAsync("GetLogEvents")).ShouldBe(4, "the unknown operation and the unsigned request are not GetLogEvents calls");
    }

    private static async Task<(JsonNode Job, string Stream)> RunPrintingJobAsync(BatchEmulatorFixture emulator)
    {
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["print", .. Lines]);
        var job = await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");
        var stream = job["container"]!["logStreamName"]!.GetValue<string>();
        stream.ShouldStartWith(BatchEmulatorFixture.DefaultDefinition + "/default/");
        return (job, stream);
    }

    private static IEnumerable<string> Messages(JsonNode page) => page["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>());
}
