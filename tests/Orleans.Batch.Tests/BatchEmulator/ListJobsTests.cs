using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class ListJobsTests
{
    [Fact]
    public async Task ListJobs_pages_through_a_queue_newest_first_and_by_default_shows_RUNNING_jobs()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { simulated = true });
        await emulator.RegisterDefinitionAsync();
        var submitted = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            submitted.Add(await emulator.SubmitAsync(["exit", "0"], new { jobName = $"job-{i}" }));
        }

        foreach (var id in submitted)
        {
            await emulator.Batch.WaitForStatusAsync(id, "RUNNING");
        }

        var listed = new List<string>();
        var pageSizes = new List<int>();
        string? token = null;
        do
        {
            var page = (await emulator.Batch.CallAsync("ListJobs", new { jobQueue = BatchEmulatorFixture.DefaultQueue, maxResults = 3, nextToken = token })).Ok();
            var summaries = page["jobSummaryList"]!.AsArray();
            pageSizes.Add(summaries.Count);
            listed.AddRange(summaries.Select(s => s!["jobId"]!.GetValue<string>()));
            token = page["nextToken"]?.GetValue<string>();

            // A job submitted while paging does not shift the pages.
            if (listed.Count == 3)
            {
                await emulator.SubmitAsync(["exit", "0"], new { jobName = "late" });
            }
        }
        while (token is not null);

        pageSizes.ShouldBe([3, 3, 1]);
        listed.ShouldBe(Enumerable.Reverse(submitted));
        var first = (await emulator.Batch.CallAsync("ListJobs", new { jobQueue = BatchEmulatorFixture.DefaultQueue })).Ok()["jobSummaryList"]![0]!;
        first["status"]!.GetValue<string>().ShouldBe("RUNNING");
        first["jobArn"]!.GetValue<string>().ShouldEndWith(first["jobId"]!.GetValue<string>());
        first["createdAt"]!.GetValue<long>().ShouldBeGreaterThan(0);
        first["startedAt"]!.GetValue<long>().ShouldBeGreaterThan(0);
        first["jobDefinition"]!.GetValue<string>().ShouldEndWith(":1");
    }

    [Fact]
    public async Task ListJobs_filters_by_status_name_definition_and_creation_time()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        await emulator.RegisterDefinitionAsync("other-definition");
        var succeeded = await emulator.SubmitAsync(["exit", "0"], new { jobName = "Alpha-1" });
        var failed = await emulator.SubmitAsync(["exit", "1"], new { jobName = "alpha-2" });
        await Task.Delay(20, TestContext.Current.CancellationToken); // a later createdAt for the time filters
        var other = await emulator.SubmitAsync(["exit", "0"], new { jobName = "beta" }, definition: "other-definition");
        foreach (var id in new[] { succeeded, failed, other })
        {
            await emulator.Batch.WaitForAnyStatusAsync(id, ["SUCCEEDED", "FAILED"]);
        }

        async Task<string[]> List(object request) =>
            (await emulator.Batch.CallAsync("ListJobs", request)).Ok()["jobSummaryList"]!.AsArray().Select(s => s!["jobId"]!.GetValue<string>()).ToArray();
        object Filter(string name, string value) => new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "RUNNING", filters = new[] { new { name, values = new[] { value } } } };

        (await List(new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "SUCCEEDED" })).ShouldBe([other, succeeded]);
        (await List(new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "FAILED" })).ShouldBe([failed]);
        (await List(new { jobQueue = BatchEmulatorFixture.DefaultQueue })).ShouldBeEmpty("nothing is RUNNING");

        // With a filter the status is ignored; JOB_NAME is case-insensitive, '*' matches a prefix.
        (await List(Filter("JOB_NAME", "alpha-1"))).ShouldBe([succeeded]);
        (await List(Filter("JOB_NAME", "ALPHA*"))).ShouldBe([failed, succeeded]);
        (await List(Filter("JOB_DEFINITION", "other-definition"))).ShouldBe([other]);
        (await List(Filter("JOB_DEFINITION", "arn:aws:batch:us-east-1:123456789012:job-definition/test-job:1"))).ShouldBe([failed, succeeded]);
        var otherCreatedAt = (await emulator.Batch.DescribeJobAsync(other))["createdAt"]!.GetValue<long>();
        (await List(Filter("AFTER_CREATED_AT", (otherCreatedAt - 1).ToString(CultureInfo.InvariantCulture)))).ShouldBe([other]);
        (await List(Filter("BEFORE_CREATED_AT", otherCreatedAt.ToString(CultureInfo.InvariantCulture)))).ShouldBe([failed, succeeded]);

        var summary = (await emulator.Batch.CallAsync("ListJobs", Filter("JOB_NAME", "alpha-2"))).Ok()["jobSummaryList"]![0]!;
        summary["container"]!["exitCode"]!.GetValue<int>().ShouldBe(1);
        summary["statusReason"]!.GetValue<string>().ShouldBe("Essential container in task exited");

        var twoFilters = new JsonObject
        {
            ["jobQueue"] = BatchEmulatorFixture.DefaultQueue,
            ["filters"] = new JsonArray(new JsonObject { ["name"] = "JOB_NAME", ["values"] = new JsonArray("a") }, new JsonObject { ["name"] = "JOB_NAME", ["values"] = new JsonArray("b") }),
        };
        (await emulator.Batch.CallAsync("ListJobs", twoFilters.ToJsonString())).ShouldFailWith(HttpStatusCode.BadRequest, "ClientException");
        (await emulator.Batch.CallAsync("ListJobs", new { jobQueue = "missing" })).ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldBe("JobQueue missing not found.");
    }
}
