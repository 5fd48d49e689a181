using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class ArrayJobTests
{
    [Fact]
    public async Task Array_job_spawns_children_with_parent_id_and_index_and_succeeds_when_all_do()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var parentId = await emulator.SubmitAsync(["env", "child"], new { arrayProperties = new { size = 3 } });

        var parent = await emulator.Batch.WaitForStatusAsync(parentId, "SUCCEEDED");

        parent["arrayProperties"]!["size"]!.GetValue<int>().ShouldBe(3);
        parent["arrayProperties"]!["index"].ShouldBeNull();
        var summary = parent["arrayProperties"]!["statusSummary"]!.AsObject();
        summary.Select(p => p.Key).ShouldBe(["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"], ignoreOrder: true);
        summary["SUCCEEDED"]!.GetValue<int>().ShouldBe(3);
        summary["FAILED"]!.GetValue<int>().ShouldBe(0);
        parent["arrayProperties"]!["statusSummaryLastUpdatedAt"]!.GetValue<long>().ShouldBeGreaterThan(0);

        for (var i = 0; i < 3; i++)
        {
            var child = await emulator.Batch.DescribeJobAsync($"{parentId}:{i}");
            child["jobId"]!.GetValue<string>().ShouldBe($"{parentId}:{i}");
            child["jobArn"]!.GetValue<string>().ShouldBe($"{parent["jobArn"]!.GetValue<string>()}:{i}");
            child["jobName"]!.GetValue<string>().ShouldBe(parent["jobName"]!.GetValue<string>());
            child["arrayProperties"]!["index"]!.GetValue<int>().ShouldBe(i);
            child["arrayProperties"]!["statusSummary"].ShouldBeNull();
            child["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");

            var environment = emulator.Scripts.EnvironmentOf($"{parentId}:{i}");
            environment["AWS_BATCH_JOB_ID"].ShouldBe($"{parentId}:{i}");
            environment["AWS_BATCH_JOB_ARRAY_INDEX"].ShouldBe(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            environment["AWS_BATCH_JOB_ARRAY_SIZE"].ShouldBe("3");
        }
    }

    [Fact]
    public async Task Parent_stays_PENDING_while_children_run_and_fails_when_one_child_fails()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var parentId = await emulator.SubmitAsync(["sleep", "2"], new { arrayProperties = new { size = 2 } });

        // Right after submission the parent is SUBMITTED and has no children yet.
        var parent = await emulator.Batch.DescribeJobAsync(parentId);
        parent["status"]!.GetValue<string>().ShouldBe("SUBMITTED");

        parent = await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(parentId),
            p => p["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 2,
            TimeSpan.FromSeconds(10),
            "both children are RUNNING");
        parent["status"]!.GetValue<string>().ShouldBe("PENDING");

        var failing = await emulator.SubmitAsync(["fail-index", "1"], new { arrayProperties = new { size = 3 } });
        var failed = await emulator.Batch.WaitForStatusAsync(failing, "FAILED");
        failed["arrayProperties"]!["statusSummary"]!["FAILED"]!.GetValue<int>().ShouldBe(1);
        failed["arrayProperties"]!["statusSummary"]!["SUCCEEDED"]!.GetValue<int>().ShouldBe(2);
        var failedChild = await emulator.Batch.DescribeJobAsync($"{failing}:1");
        failedChild["container"]!["exitCode"]!.GetValue<int>().ShouldBe(3);

        await emulator.Batch.WaitForStatusAsync(parentId, "SUCCEEDED");
    }

    [Fact]
    public async Task ListJobs_by_arrayJobId_lists_the_children_in_index_order()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync(settings: new { simulated = true });
        await emulator.RegisterDefinitionAsync();
        var parentId = await emulator.SubmitAsync(["exit", "0"], new { arrayProperties = new { size = 5 } });
        await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(parentId),
            p => p["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 5,
            TimeSpan.FromSeconds(10),
            "all children RUNNING");

        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await emulator.Batch.CallAsync("ListJobs", new { arrayJobId = parentId, maxResults = 2, nextToken = token })).Ok();
            ids.AddRange(page["jobSummaryList"]!.AsArray().Select(s => s!["jobId"]!.GetValue<string>()));
            foreach (var summary in page["jobSummaryList"]!.AsArray())
            {
                summary!["status"]!.GetValue<string>().ShouldBe("RUNNING");
                summary["arrayProperties"]!["index"].ShouldNotBeNull();
            }

            token = page["nextToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        ids.ShouldBe(Enumerable.Range(0, 5).Select(i => $"{parentId}:{i}"));
        pages.ShouldBe(3);

        // The queue lists the parent, not the children.
        var queueJobs = (await emulator.Batch.CallAsync("ListJobs", new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "PENDING" })).Ok();
        queueJobs["jobSummaryList"]!.AsArray().Select(s => s!["jobId"]!.GetValue<string>()).ShouldBe([parentId]);
        queueJobs["jobSummaryList"]![0]!["arrayProperties"]!["size"]!.GetValue<int>().ShouldBe(5);
    }
}
