using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>The client over real HTTP against a Kestrel stand-in on 127.0.0.1.</summary>
public sealed partial class AwsBatchClientHttpTests : IAsyncLifetime
{
    private const string AccessKey = "AKIDHTTPTEST";
    private const string SecretKey = "http-test-secret";
    private const string Queue = "orleans-batch-queue";

    private FakeBatchServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeBatchServer.StartAsync(new ImmutableCredentials(AccessKey, SecretKey, null));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_operation_is_a_SigV4_signed_POST_to_v1_and_the_operation_in_lower_case()
    {
        using var client = CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var full = SampleRequests.FullSubmitJob();
        var submitted = await client.SubmitJobAsync(new SubmitJobRequest { JobName = "job-1", JobQueue = Queue, JobDefinition = "def", ArrayProperties = full.ArrayProperties, ContainerOverrides = full.ContainerOverrides, Tags = full.Tags }, ct);
        await client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = [submitted.JobId] }, ct);
        await client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, ct);
        await client.TerminateJobAsync(new TerminateJobRequest { JobId = submitted.JobId, Reason = "done" }, ct);
        await client.CancelJobAsync(new CancelJobRequest { JobId = submitted.JobId, Reason = "done" }, ct);
        await client.DescribeJobQueuesAsync(new DescribeJobQueuesRequest { JobQueues = [Queue] }, ct);
        await client.DescribeJobDefinitionsAsync(new DescribeJobDefinitionsRequest { Status = "ACTIVE" }, ct);
        await client.RegisterJobDefinitionAsync(SampleRequests.FullRegisterJobDefinition(), ct);

        _server.Requests.Select(r => r.Operation).ShouldBe(
            ["submitjob", "describejobs", "listjobs", "terminatejob", "canceljob", "describejobqueues", "describejobdefinitions", "registerjobdefinition"]);
        foreach (var request in _server.Requests)
        {
            request.Method.ShouldBe("POST");
            request.Path.ShouldBe("/v1/" + request.Operation);
            request.Headers["Content-Type"].ShouldStartWith("application/json");
            request.Headers["X-Amz-Date"].ShouldMatch("^[0-9]{8}T[0-9]{6}Z$");
            request.Headers["Authorization"].ShouldMatch(
                $"^AWS4-HMAC-SHA256 Credential={AccessKey}/[0-9]{{8}}/eu-west-1/batch/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{{64}}$");
            request.Headers["Authorization"].ShouldContain("/" + request.Headers["X-Amz-Date"][..8] + "/");
            request.SignatureProblem.ShouldBeNull();
            request.Headers.ContainsKey("X-Amz-Security-Token").ShouldBeFalse();
        }
    }

    [Fact]
    public async Task A_session_token_is_sent_and_signed_as_X_Amz_Security_Token()
    {
        await using var server = await FakeBatchServer.StartAsync(new ImmutableCredentials("ASIASESSION", "session-secret", "the-session-token"));
        using var client = new AwsBatchClient(Options(server, o => o.Credentials = new SessionAWSCredentials("ASIASESSION", "session-secret", "the-session-token")));

        await client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken);

        var request = server.Requests.ShouldHaveSingleItem();
        request.Headers["X-Amz-Security-Token"].ShouldBe("the-session-token");
        request.Headers["Authorization"].ShouldContain("x-amz-security-token");
        request.SignatureProblem.ShouldBeNull();
    }

    [Fact]
    public async Task The_stand_in_rejects_a_signature_made_with_another_secret_and_stops_listening_when_disposed()
    {
        var server = await FakeBatchServer.StartAsync(new ImmutableCredentials(AccessKey, "another-secret", null));
        var port = server.Url.Port;
        using (var client = new AwsBatchClient(Options(server)))
        {
            await client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken);
        }

        server.Requests.Single().SignatureProblem.ShouldStartWith("signature mismatch");
        await server.DisposeAsync();
        using var probe = new TcpClient();
        await Should.ThrowAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task A_service_error_surfaces_as_AwsBatchException_with_code_message_status_and_request_id_and_is_not_retried()
    {
        using var client = CreateClient();
        _server.EnqueueError("submitjob", HttpStatusCode.BadRequest, "ClientException", "Job queue q does not exist");

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.SubmitJobAsync(new SubmitJobRequest { JobName = "j", JobQueue = "q", JobDefinition = "d" }, TestContext.Current.CancellationToken));

        error.Operation.ShouldBe("SubmitJob");
        error.ErrorCode.ShouldBe("ClientException");
        error.ErrorMessage.ShouldBe("Job queue q does not exist");
        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.RequestId.ShouldStartWith("req-1-");
        error.Attempts.ShouldBe(1);
        error.IsCredentialsError.ShouldBeFalse();
        error.Message.ShouldBe($"AWS Batch SubmitJob failed: ClientException: Job queue q does not exist (request id {error.RequestId})");
        _server.RequestsFor("submitjob").Count.ShouldBe(1);
        _server.RequestsFor("listjobs").ShouldBeEmpty();
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_freshly_signed_until_the_call_succeeds()
    {
        using var client = CreateClient();
        _server.AddJob("a", Queue);
        _server.EnqueueError("describejobs", HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Too Many Requests");
        _server.EnqueueError("describejobs", HttpStatusCode.InternalServerError, "ServerException", "internal");
        _server.EnqueueError("describejobs", HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded");

        var response = await client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = [_server.Jobs[0]["jobId"]!.GetValue<string>()] }, TestContext.Current.CancellationToken);

        response.Jobs.ShouldHaveSingleItem().JobName.ShouldBe("a");
        var attempts = _server.RequestsFor("describejobs");
        attempts.Count.ShouldBe(4);
        attempts.ShouldAllBe(r => r.SignatureProblem == null);
    }

    [Fact]
    public async Task Retries_stop_at_MaxAttempts_and_the_error_says_how_many_attempts_were_made()
    {
        using var client = CreateClient(o => o.MaxAttempts = 3);
        for (var i = 0; i < 5; i++)
        {
            _server.EnqueueError("listjobs", HttpStatusCode.ServiceUnavailable, "ServerException", "unavailable");
        }

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken));

        error.Attempts.ShouldBe(3);
        error.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        error.Message.ShouldStartWith("AWS Batch ListJobs failed after 3 attempts: ServerException: unavailable (request id req-3-");
        _server.RequestsFor("listjobs").Count.ShouldBe(3);
    }

    [Fact]
    public async Task MaxAttempts_of_one_disables_retries()
    {
        using var client = CreateClient(o => o.MaxAttempts = 1);
        _server.EnqueueError("listjobs", HttpStatusCode.TooManyRequests, "TooManyRequestsException", "slow down");

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken));

        error.IsThrottling.ShouldBeTrue();
        error.Attempts.ShouldBe(1);
        _server.RequestsFor("listjobs").Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_SubmitJob_whose_response_is_lost_after_the_job_was_created_returns_that_job_instead_of_a_duplicate(bool dropConnection)
    {
        using var client = CreateClient();
        string? createdId = null;
        _server.Enqueue("submitjob", async (context, request) =>
        {
            createdId = _server.AddJob(request.Json.GetProperty("jobName").GetString()!, Queue)["jobId"]!.GetValue<string>();
            if (dropConnection)
            {
                context.Abort();
            }
            else
            {
                await FakeBatchServer.WriteErrorAsync(context, HttpStatusCode.InternalServerError, "ServerException", "something broke after the job was stored");
            }
        });

        var response = await client.SubmitJobAsync(new SubmitJobRequest { JobName = "manager-7f3c", JobQueue = Queue, JobDefinition = "def" }, TestContext.Current.CancellationToken);

        response.JobId.ShouldBe(createdId);
        response.JobName.ShouldBe("manager-7f3c");
        _server.Jobs.Count.ShouldBe(1);
        _server.RequestsFor("submitjob").Count.ShouldBe(1);
        var lookup = _server.RequestsFor("listjobs").ShouldHaveSingleItem();
        lookup.Json.GetProperty("jobQueue").GetString().ShouldBe(Queue);
        lookup.Json.GetProperty("filters")[0].GetProperty("name").GetString().ShouldBe("JOB_NAME");
        lookup.Json.GetProperty("filters")[0].GetProperty("values")[0].GetString().ShouldBe("manager-7f3c");
    }

    [Fact]
    public async Task A_SubmitJob_that_failed_ambiguously_without_creating_the_job_is_sent_again_after_the_look_up()
    {
        using var client = CreateClient();
        _server.EnqueueError("submitjob", HttpStatusCode.InternalServerError, "ServerException", "failed before storing");

        var response = await client.SubmitJobAsync(new SubmitJobRequest { JobName = "manager-1", JobQueue = Queue, JobDefinition = "def" }, TestContext.Current.CancellationToken);

        _server.Jobs.ShouldHaveSingleItem()["jobId"]!.GetValue<string>().ShouldBe(response.JobId);
        _server.RequestsFor("submitjob").Count.ShouldBe(2);
        _server.RequestsFor("listjobs").Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_throttled_SubmitJob_is_sent_again_without_a_look_up()
    {
        using var client = CreateClient();
        _server.EnqueueError("submitjob", HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Too Many Requests");

        await client.SubmitJobAsync(new SubmitJobRequest { JobName = "manager-2", JobQueue = Queue, JobDefinition = "def" }, TestContext.Current.CancellationToken);

        _server.Jobs.Count.ShouldBe(1);
        _server.RequestsFor("submitjob").Count.ShouldBe(2);
        _server.RequestsFor("listjobs").ShouldBeEmpty();
    }

    [Fact]
    public async Task An_old_job_with_the_same_name_is_not_mistaken_for_the_lost_submission()
    {
        using var client = CreateClient();
        var old = _server.AddJob("reused-name", Queue, createdAt: DateTimeOffset.UtcNow.AddDays(-1), status: "SUCCEEDED");
        _server.Enqueue("submitjob", (context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });

        var response = await client.SubmitJobAsync(new SubmitJobRequest { JobName = "reused-name", JobQueue = Queue, JobDefinition = "def" }, TestContext.Current.CancellationToken);

        response.JobId.ShouldNotBe(old["jobId"]!.GetValue<string>());
        _server.Jobs.Count.ShouldBe(2);
        _server.RequestsFor("submitjob").Count.ShouldBe(2);
    }

    [Fact]
    public async Task When_the_look_up_after_a_lost_SubmitJob_fails_the_job_is_not_sent_again_and_the_outcome_is_reported_unknown()
    {
        using var client = CreateClient();
        _server.Enqueue("submitjob", (context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        _server.EnqueueError("listjobs", HttpStatusCode.BadRequest, "ClientException", "not authorized to perform: batch:ListJobs");

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.SubmitJobAsync(new SubmitJobRequest { JobName = "manager-3", JobQueue = Queue, JobDefinition = "def" }, TestContext.Current.CancellationToken));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.SubmitJobOutcomeUnknown);
        error.Attempts.ShouldBe(2);
        error.Message.ShouldContain("batch:ListJobs");
        error.Message.ShouldNotContain("\n");
        _server.RequestsFor("submitjob").Count.ShouldBe(1);
    }

    [Fact]
    public async Task ListAllJobsAsync_follows_nextToken_through_every_page()
    {
        using var client = CreateClient();
        _server.DefaultPageSize = 3;
        var names = Enumerable.Range(0, 7).Select(i => $"job-{i}").ToList();
        names.ForEach(name => _server.AddJob(name, Queue, status: "RUNNING"));

        var listed = new List<string>();
        await foreach (var job in client.ListAllJobsAsync(new ListJobsRequest { JobQueue = Queue, JobStatus = JobStatus.Running }, TestContext.Current.CancellationToken))
        {
            listed.Add(job.JobName);
            job.Status.ShouldBe(JobStatus.Running);
        }

        listed.ShouldBe(names);
        var pages = _server.RequestsFor("listjobs");
        pages.Count.ShouldBe(3);
        pages.Select(p => p.Json.TryGetProperty("nextToken", out var token) ? token.GetString() : null).ShouldBe([null, "3", "6"]);
        pages.ShouldAllBe(p => p.Json.GetProperty("jobStatus").GetString() == "RUNNING");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(100, 1)]
    [InlineData(101, 2)]
    [InlineData(250, 3)]
    public async Task DescribeJobsAsync_describes_any_number_of_jobs_in_calls_of_at_most_100_ids(int jobs, int expectedCalls)
    {
        using var client = CreateClient();
        var ids = Enumerable.Range(0, jobs).Select(i => _server.AddJob($"job-{i}", Queue)["jobId"]!.GetValue<string>()).ToList();

        var described = await client.DescribeJobsAsync(ids, TestContext.Current.CancellationToken);

        described.Select(j => j.JobId).ShouldBe(ids, ignoreOrder: true);
        var calls = _server.RequestsFor("describejobs");
        calls.Count.ShouldBe(expectedCalls);
        calls.ShouldAllBe(c => c.Json.GetProperty("jobs").GetArrayLength() <= 100);
        calls.Sum(c => c.Json.GetProperty("jobs").GetArrayLength()).ShouldBe(jobs);
    }

    [Fact]
    public async Task DescribeJobsAsync_with_more_than_100_ids_in_one_request_is_rejected_before_sending()
    {
        using var client = CreateClient();

        var error = await Should.ThrowAsync<ArgumentException>(() => client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = [.. Enumerable.Range(0, 101).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))] }, TestContext.Current.CancellationToken));

        error.Message.ShouldContain("at most 100");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Timestamps_are_read_as_epoch_milliseconds_and_unknown_statuses_as_Unknown()
    {
        using var client = CreateClient();
        _server.Enqueue("describejobs", async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""
                {"jobs":[
                  {"jobName":"a","jobId":"p","jobQueue":"q","jobDefinition":"d","status":"RUNNING",
                   "createdAt":1700000000123,"startedAt":1700000001456,
                   "arrayProperties":{"size":3,"statusSummary":{"RUNNING":2,"SUCCEEDED":1},"statusSummaryLastUpdatedAt":1700000002789},
                   "container":{"logStreamName":"s","networkInterfaces":[{"privateIpv4Address":"10.0.0.5"}],"taskArn":"t"}},
                  {"jobName":"b","jobId":"p:1","jobQueue":"q","jobDefinition":"d","status":"SOME_NEW_STATUS","arrayProperties":{"index":1}}]}
                """);
        });

        var jobs = (await client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = ["p", "p:1"] }, TestContext.Current.CancellationToken)).Jobs;

        jobs[0].CreatedAt.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123));
        jobs[0].CreatedAt!.Value.UtcDateTime.ShouldBe(new DateTime(2023, 11, 14, 22, 13, 20, 123, DateTimeKind.Utc));
        jobs[0].StartedAt.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1700000001456));
        jobs[0].StoppedAt.ShouldBeNull();
        jobs[0].ArrayProperties!.StatusSummary!["RUNNING"].ShouldBe(2);
        jobs[0].ArrayProperties!.StatusSummaryLastUpdatedAt.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1700000002789));
        jobs[0].Container!.NetworkInterfaces!.Single().PrivateIpv4Address.ShouldBe("10.0.0.5");
        jobs[1].Status.ShouldBe(JobStatus.Unknown);
        jobs[1].ArrayProperties!.Index.ShouldBe(1);
    }

    [Fact]
    public async Task An_attempt_that_exceeds_the_attempt_timeout_is_abandoned_and_retried()
    {
        using var client = CreateClient(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));
        _server.Enqueue("listjobs", async (context, request) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var clock = Stopwatch.StartNew();

        var response = await client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken);

        response.JobSummaryList.ShouldBeEmpty();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4));
        _server.RequestsFor("listjobs").Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_with_NetworkError_after_the_attempts()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new AwsBatchClient(Options(_server, o =>
        {
            o.ServiceUrl = $"http://127.0.0.1:{port}";
            o.MaxAttempts = 2;
        }));

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.SubmitJobAsync(new SubmitJobRequest { JobName = "j", JobQueue = Queue, JobDefinition = "d" }, TestContext.Current.CancellationToken));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.NetworkError);
        error.StatusCode.ShouldBeNull();
        error.RequestId.ShouldBeNull();
        error.Attempts.ShouldBe(2);
        error.Message.ShouldStartWith($"AWS Batch SubmitJob failed after 2 attempts: NetworkError: could not complete the request to http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task An_expired_token_is_a_credentials_error_that_says_how_to_refresh_and_is_not_retried()
    {
        using var client = CreateClient();
        _server.EnqueueError("listjobs", HttpStatusCode.Forbidden, "ExpiredTokenException", "The security token included in the request is expired");

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken));

        error.IsCredentialsError.ShouldBeTrue();
        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.ExpiredTokenException);
        error.Message.ShouldStartWith("AWS Batch ListJobs failed: ExpiredTokenException: The security token included in the request is expired (request id ");
        error.Message.ShouldContain("aws sso login");
        error.Message.ShouldContain("AWS_SESSION_TOKEN");
        error.Message.ShouldNotContain("\n");
        _server.RequestsFor("listjobs").Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_error_without_a_JSON_body_is_named_by_its_status_and_a_502_is_retried()
    {
        using var client = CreateClient(o => o.MaxAttempts = 2);
        for (var i = 0; i < 2; i++)
        {
            _server.Enqueue("listjobs", async (context, _) =>
            {
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Bad Gateway</body></html>");
            });
        }

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, TestContext.Current.CancellationToken));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.ServerException);
        error.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        error.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task TerminateJob_and_CancelJob_accept_the_empty_response()
    {
        using var client = CreateClient();
        var id = _server.AddJob("j", Queue)["jobId"]!.GetValue<string>();

        await client.TerminateJobAsync(new TerminateJobRequest { JobId = id, Reason = "manager exiting" }, TestContext.Current.CancellationToken);

        _server.Jobs.Single()["statusReason"]!.GetValue<string>().ShouldBe("manager exiting");
        _server.RequestsFor("terminatejob").Single().BodyText.ShouldBe($$"""{"jobId":"{{id}}","reason":"manager exiting"}""");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stops_retrying_and_throws_OperationCanceledException()
    {
        using var client = CreateClient(o =>
        {
            o.BaseRetryDelay = TimeSpan.FromSeconds(10);
            o.MaxRetryDelay = TimeSpan.FromSeconds(10);
        });
        _server.EnqueueError("listjobs", HttpStatusCode.TooManyRequests, "TooManyRequestsException", "slow down");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = Queue }, cancellation.Token));

        _server.RequestsFor("listjobs").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AddAwsBatchClient_binds_OrleansBatch_Batch_and_sends_signed_requests_through_IHttpClientFactory()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansBatch:Batch:ServiceUrl"] = _server.Url.ToString(),
            ["OrleansBatch:Batch:Region"] = "ap-northeast-1",
            ["OrleansBatch:Batch:MaxAttempts"] = "2",
            ["OrleansBatch:Batch:BaseRetryDelay"] = "00:00:00.001",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddAwsBatchClient(o => o.Credentials = new BasicAWSCredentials(AccessKey, SecretKey));
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        _server.EnqueueError("submitjob", HttpStatusCode.TooManyRequests, "TooManyRequestsException", "slow down");

        var client = provider.GetRequiredService<IAwsBatchClient>();
        var response = await client.SubmitJobAsync(new SubmitJobRequest { JobName = "di-job", JobQueue = Queue, JobDefinition = "d" }, TestContext.Current.CancellationToken);

        response.JobName.ShouldBe("di-job");
        provider.GetRequiredService<IAwsBatchClient>().ShouldBeSameAs(client);
        var requests = _server.RequestsFor("submitjob");
        requests.Count.ShouldBe(2);
        requests.ShouldAllBe(r => r.SignatureProblem == null && r.Headers["Authorization"].Contains("/ap-northeast-1/batch/aws4_request"));
    }

    private AwsBatchClient CreateClient(Action<AwsBatchClientOptions>? configure = null) => new(Options(_server, configure));

    private static AwsBatchClientOptions Options(FakeBatchServer server, Action<AwsBatchClientOptions>? configure = null)
    {
        var options = new AwsBatchClientOptions
        {
            ServiceUrl = server.Url.ToString(),
            Region = "eu-west-1",
            Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
            MaxAttempts = 4,
            BaseRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            AttemptTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }
}
