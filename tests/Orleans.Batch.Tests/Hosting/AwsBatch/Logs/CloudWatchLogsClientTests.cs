using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Logs;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.AwsBatch.Logs;

/// <summary>The CloudWatch Logs client against the Batch emulator's Logs endpoint (signed, JSON 1.1).</summary>
public sealed class CloudWatchLogsClientTests
{
    [Fact]
    public async Task Reads_a_whole_stream_page_by_page_until_the_token_repeats()
    {
        await using var emulator = await StartAsync();
        var jobId = await emulator.SubmitAsync(["print", "l1", "l2", "l3", "l4", "l5"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");
        var stream = await StreamOfAsync(emulator, jobId);
        using var client = Client(emulator);

        var events = new List<string>();
        await foreach (var logEvent in client.ReadStreamAsync(BatchJobLogLocation.DefaultLogGroup, stream, pageSize: 2, TestContext.Current.CancellationToken))
        {
            events.Add(logEvent.Message!);
        }

        // Six events (five lines and the script's stderr line): three pages, then the end (the same token back).
        (await emulator.Admin.CallsAsync("GetLogEvents")).ShouldBe(4);
        events.Count.ShouldBe(6);
        events.Where(e => e.StartsWith('l')).ShouldBe(["l1", "l2", "l3", "l4", "l5"]);
        events.ShouldBe(await emulator.LogLinesAsync(jobId));
    }

    [Fact]
    public async Task Throttling_is_retried()
    {
        await using var emulator = await StartAsync();
        var jobId = await emulator.SubmitAsync(["print", "only"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");
        var stream = await StreamOfAsync(emulator, jobId);
        await emulator.Admin.AddFaultAsync("throttle", "GetLogEvents", count: 2);
        using var client = Client(emulator);

        var page = await client.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = BatchJobLogLocation.DefaultLogGroup, LogStreamName = stream, StartFromHead = true }, TestContext.Current.CancellationToken);

        page.Events.Select(e => e.Message).ShouldContain("only");
        page.NextForwardToken.ShouldNotBeNullOrEmpty();
        (await emulator.Admin.CallsAsync("GetLogEvents")).ShouldBe(3, "two throttled attempts, then the one that got through");
    }

    [Fact]
    public async Task A_missing_stream_is_a_CloudWatch_Logs_error_in_one_line()
    {
        await using var emulator = await StartAsync();
        using var client = Client(emulator);

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.GetLogEventsAsync(
            new GetLogEventsRequest { LogGroupName = BatchJobLogLocation.DefaultLogGroup, LogStreamName = "no/such/stream" }, TestContext.Current.CancellationToken));

        error.Service.ShouldBe("CloudWatch Logs");
        error.ErrorCode.ShouldBe("ResourceNotFoundException");
        error.Message.ShouldStartWith("CloudWatch Logs GetLogEvents failed: ResourceNotFoundException: The specified log stream does not exist.");
        error.Message.ShouldNotContain("\n");
    }

    [Theory]
    [InlineData("us-east-1", "https://logs.us-east-1.amazonaws.com/")]
    [InlineData("eu-west-3", "https://logs.eu-west-3.amazonaws.com/")]
    [InlineData("cn-north-1", "https://logs.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-west-1", "https://logs.us-gov-west-1.amazonaws.com/")]
    public void The_regional_endpoint_follows_the_partition(string region, string expected)
    {
        var endpoint = CloudWatchLogsEndpoint.ForRegion(region);

        endpoint.ServiceUri.ShouldBe(new Uri(expected));
        endpoint.SigningRegion.ShouldBe(region);
        using var client = new CloudWatchLogsClient(new CloudWatchLogsClientOptions { Region = region, Credentials = new BasicAWSCredentials("a", "b") });
        client.GetEndpoint().ShouldBe(endpoint);
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        var error = Should.Throw<OptionsValidationException>(() => new CloudWatchLogsClient(new CloudWatchLogsClientOptions { MaxAttempts = 0, ServiceUrl = "ftp://x" }));

        error.Failures.ShouldContain(f => f.StartsWith("OrleansBatch:Logs:MaxAttempts", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("OrleansBatch:Logs:ServiceUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_log_location_comes_from_the_container()
    {
        var job = Job(JobStatus.Running, new ContainerDetail { LogStreamName = "def/default/abc" });
        BatchJobLogLocation.For(job, out _).ShouldBe(new BatchJobLogLocation("/aws/batch/job", "def/default/abc", null));

        var custom = Job(JobStatus.Succeeded, new ContainerDetail
        {
            LogStreamName = "s",
            LogConfiguration = new LogConfiguration { LogDriver = LogDriver.AwsLogs, Options = new Dictionary<string, string> { ["awslogs-group"] = "/my/group", ["awslogs-region"] = "eu-west-1" } },
        });
        BatchJobLogLocation.For(custom, out _).ShouldBe(new BatchJobLogLocation("/my/group", "s", "eu-west-1"));

        BatchJobLogLocation.For(Job(JobStatus.Running, new ContainerDetail { LogStreamName = "s", LogConfiguration = new LogConfiguration { LogDriver = LogDriver.Splunk } }), out var reason).ShouldBeNull();
        reason.ShouldBe("job j1 logs with the 'splunk' log driver, not to CloudWatch Logs");

        BatchJobLogLocation.For(Job(JobStatus.Failed, new ContainerDetail(), "Task failed to start"), out reason).ShouldBeNull();
        reason.ShouldBe("job j1 ended (FAILED: Task failed to start) without a log stream: its container never started");
    }

    private static JobDetail Job(JobStatus status, ContainerDetail container, string? reason = null) => new()
    {
        JobId = "j1",
        JobName = "n",
        JobQueue = "q",
        JobDefinition = "d",
        Status = status,
        StatusReason = reason,
        Container = container,
    };

    private static CloudWatchLogsClient Client(BatchEmulatorFixture emulator) => new(new CloudWatchLogsClientOptions
    {
        ServiceUrl = emulator.BaseAddress.ToString(),
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials(BatchTestClient.AccessKey, BatchTestClient.SecretKey),
        BaseRetryDelay = TimeSpan.FromMilliseconds(10),
    });

    private static async Task<string> StreamOfAsync(BatchEmulatorFixture emulator, string jobId) =>
        (await emulator.Batch.DescribeJobAsync(jobId))["container"]!["logStreamName"]!.GetValue<string>();

    private static async Task<BatchEmulatorFixture> StartAsync()
    {
        var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        return emulator;
    }
}
