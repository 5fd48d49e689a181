using System.Net;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class ValidationTests
{
    [Fact]
    public async Task SubmitJob_to_an_unknown_queue_or_definition_is_a_ClientException()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var unknownQueue = await emulator.Batch.CallAsync("SubmitJob", new { jobName = "j", jobQueue = "no-such-queue", jobDefinition = BatchEmulatorFixture.DefaultDefinition });
        unknownQueue.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldBe("JobQueue no-such-queue not found.");
        unknownQueue.ContentType.ShouldBe("application/json");

        var unknownDefinition = await emulator.Batch.CallAsync("SubmitJob", new { jobName = "j", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = "no-such-definition" });
        unknownDefinition.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException")
            .ShouldBe("JobDefinition name no-such-definition does not exist or is not in ACTIVE status.");

        var unknownRevision = await emulator.Batch.CallAsync("SubmitJob", new { jobName = "j", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition + ":9" });
        unknownRevision.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain(BatchEmulatorFixture.DefaultDefinition + ":9");

        (await emulator.Admin.JobsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Overriding_an_environment_variable_starting_with_AWS_BATCH_is_a_ClientException()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var response = await emulator.Batch.CallAsync("SubmitJob", new
        {
            jobName = "j",
            jobQueue = BatchEmulatorFixture.DefaultQueue,
            jobDefinition = BatchEmulatorFixture.DefaultDefinition,
            containerOverrides = new { environment = new[] { new { name = "AWS_BATCH_JOB_ID", value = "mine" } } },
        });

        response.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain("AWS_BATCH_JOB_ID");

        var definition = await emulator.Batch.CallAsync("RegisterJobDefinition", new
        {
            jobDefinitionName = "reserved",
            type = "container",
            containerProperties = new { image = "x", environment = new[] { new { name = "AWS_BATCHY", value = "1" } } },
        });
        definition.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain("AWS_BATCH");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_001)]
    public async Task Array_size_outside_2_to_10000_is_a_ClientException(int size)
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var response = await emulator.Batch.CallAsync("SubmitJob", new
        {
            jobName = "j",
            jobQueue = BatchEmulatorFixture.DefaultQueue,
            jobDefinition = BatchEmulatorFixture.DefaultDefinition,
            arrayProperties = new { size },
        });

        response.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain("between 2 and 10000");
    }

    [Fact]
    public async Task Other_invalid_requests_are_ClientExceptions()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.MinimumTimeoutSeconds = 60);
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        object Submit(object extra) => new { jobName = "j", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition, timeout = extra };

        (await emulator.Batch.CallAsync("SubmitJob", Submit(new { attemptDurationSeconds = 59 })))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain("at least 60 seconds");
        (await emulator.Batch.CallAsync("SubmitJob", new { jobName = "bad name!", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException");
        (await emulator.Batch.CallAsync("SubmitJob", new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldBe("jobName is required.");
        (await emulator.Batch.CallAsync("SubmitJob", "{ not json"))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException");
        (await emulator.Batch.CallAsync("DescribeJobs", new { jobs = Enumerable.Range(0, 101).Select(i => $"job-{i}").ToArray() }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain("100");
        (await emulator.Batch.CallAsync("ListJobs", new { jobStatus = "RUNNING" }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException");
        (await emulator.Batch.CallAsync("ListJobs", new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "DONE" }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException");

        // DescribeJobs leaves unknown ids out instead of failing.
        (await emulator.Batch.CallAsync("DescribeJobs", new { jobs = new[] { "unknown" } })).Ok()["jobs"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Job_definition_revisions_resolve_by_name_revision_and_ARN()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        var first = await emulator.RegisterDefinitionAsync(command: ["exit", "0"]);
        var second = await emulator.RegisterDefinitionAsync(command: ["exit", "1"]);

        first["revision"]!.GetValue<int>().ShouldBe(1);
        second["revision"]!.GetValue<int>().ShouldBe(2);
        var arn1 = first["jobDefinitionArn"]!.GetValue<string>();
        arn1.ShouldBe($"arn:aws:batch:us-east-1:123456789012:job-definition/{BatchEmulatorFixture.DefaultDefinition}:1");
        var arn2 = second["jobDefinitionArn"]!.GetValue<string>();

        async Task<string> DefinitionUsed(string reference)
        {
            var jobId = await emulator.Batch.SubmitJobAsync(new { jobName = "j", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = reference });
            return (await emulator.Batch.DescribeJobAsync(jobId))["jobDefinition"]!.GetValue<string>();
        }

        (await DefinitionUsed(BatchEmulatorFixture.DefaultDefinition)).ShouldBe(arn2, "the latest revision");
        (await DefinitionUsed(BatchEmulatorFixture.DefaultDefinition + ":1")).ShouldBe(arn1);
        (await DefinitionUsed(arn1)).ShouldBe(arn1);
        (await DefinitionUsed(arn2[..arn2.LastIndexOf(':')])).ShouldBe(arn2, "an ARN without revision means the latest");

        var described = (await emulator.Batch.CallAsync("DescribeJobDefinitions", new { jobDefinitionName = BatchEmulatorFixture.DefaultDefinition })).Ok()["jobDefinitions"]!.AsArray();
        described.Select(d => d!["revision"]!.GetValue<int>()).ShouldBe([1, 2]);
        described[0]!["status"]!.GetValue<string>().ShouldBe("ACTIVE");
        described[0]!["type"]!.GetValue<string>().ShouldBe("container");
        described[0]!["containerProperties"]!["image"]!.GetValue<string>().ShouldBe(BatchEmulatorFixture.JobImage);
        described[0]!["containerProperties"]!["resourceRequirements"]!.AsArray().Count.ShouldBe(2);

        var byArn = (await emulator.Batch.CallAsync("DescribeJobDefinitions", new { jobDefinitions = new[] { arn2 } })).Ok()["jobDefinitions"]!.AsArray();
        byArn.Single()!["revision"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task DescribeJobQueues_shows_the_queues_registered_through_the_admin_API()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync("first", new { computeEnvironment = "ce-1" });
        await emulator.CreateQueueAsync("second", new { state = "DISABLED", priority = 5 });

        var all = (await emulator.Batch.CallAsync("DescribeJobQueues", new { })).Ok()["jobQueues"]!.AsArray();
        all.Select(q => q!["jobQueueName"]!.GetValue<string>()).ShouldBe(["first", "second"]);
        var first = all[0]!;
        first["jobQueueArn"]!.GetValue<string>().ShouldBe("arn:aws:batch:us-east-1:123456789012:job-queue/first");
        first["state"]!.GetValue<string>().ShouldBe("ENABLED");
        first["status"]!.GetValue<string>().ShouldBe("VALID");
        first["computeEnvironmentOrder"]![0]!["computeEnvironment"]!.GetValue<string>().ShouldBe("arn:aws:batch:us-east-1:123456789012:compute-environment/ce-1");
        all[1]!["state"]!.GetValue<string>().ShouldBe("DISABLED");
        all[1]!["priority"]!.GetValue<int>().ShouldBe(5);

        var byArn = (await emulator.Batch.CallAsync("DescribeJobQueues", new { jobQueues = new[] { "arn:aws:batch:us-east-1:123456789012:job-queue/second", "missing" } })).Ok()["jobQueues"]!.AsArray();
        byArn.Single()!["jobQueueName"]!.GetValue<string>().ShouldBe("second");

        var paged = (await emulator.Batch.CallAsync("DescribeJobQueues", new { maxResults = 1 })).Ok();
        paged["jobQueues"]!.AsArray().Count.ShouldBe(1);
        var next = (await emulator.Batch.CallAsync("DescribeJobQueues", new { maxResults = 1, nextToken = paged["nextToken"]!.GetValue<string>() })).Ok();
        next["jobQueues"]![0]!["jobQueueName"]!.GetValue<string>().ShouldBe("second");
        next["nextToken"].ShouldBeNull();

        // A disabled queue takes no new jobs.
        await emulator.RegisterDefinitionAsync();
        (await emulator.Batch.CallAsync("SubmitJob", new { jobName = "j", jobQueue = "second", jobDefinition = BatchEmulatorFixture.DefaultDefinition }))
            .ShouldFailWith(HttpStatusCode.BadRequest, "ClientException");
    }
}
