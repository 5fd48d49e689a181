using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

public sealed class AwsBatchClientLoggingTests
{
    private const string AccessKey = "ASIALOGGINGTEST";
    private const string SecretKey = "logging-test-secret-never-logged";
    private const string SessionToken = "logging-test-session-token-never-logged";

    [Fact]
    public async Task Logs_name_the_operation_attempt_status_and_request_id_and_never_the_credentials()
    {
        await using var server = await FakeBatchServer.StartAsync(new ImmutableCredentials(AccessKey, SecretKey, SessionToken));
        var logs = new CollectingLoggerProvider();
        await using var provider = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddAwsBatchClient(o =>
            {
                o.ServiceUrl = server.Url.ToString();
                o.Region = "eu-west-1";
                o.Credentials = new SessionAWSCredentials(AccessKey, SecretKey, SessionToken);
                o.BaseRetryDelay = TimeSpan.FromMilliseconds(1);
                o.MaxRetryDelay = TimeSpan.FromMilliseconds(2);
            })
            .BuildServiceProvider();
        server.EnqueueError("submitjob", HttpStatusCode.InternalServerError, "ServerException", "lost");

        await provider.GetRequiredService<IAwsBatchClient>().SubmitJobAsync(new SubmitJobRequest { JobName = "logged-job", JobQueue = "q", JobDefinition = "d" }, TestContext.Current.CancellationToken);

        var entries = logs.Entries;
        var retry = entries.Single(e => e.EventId.Name == "AwsBatchRequestRetrying");
        retry.Level.ShouldBe(LogLevel.Information, "each retry is detail; the caller says once that calls are failing");
        retry.Message.ShouldStartWith("AWS Batch SubmitJob attempt 1 failed with ServerException (HTTP 500, request id req-1-");
        entries.ShouldContain(e => e.EventId.Name == "AwsBatchEndpointResolved" && e.Message.Contains(server.Url.ToString(), StringComparison.Ordinal) && e.Message.Contains("OrleansBatch:Batch:Region", StringComparison.Ordinal));
        entries.ShouldContain(e => e.EventId.Name == "AwsBatchSubmitLookup" && e.Message.Contains("logged-job", StringComparison.Ordinal));
        entries.ShouldContain(e => e.EventId.Name == "AwsBatchSubmitNotFound");
        entries.Where(e => e.EventId.Name == "AwsBatchResponseReceived").Select(e => e.State.Single(p => p.Key == "StatusCode").Value)
            .ShouldBe([500, 200, 200]);
        entries.ShouldContain(e => e.EventId.Name == "AwsBatchResponseReceived" && e.Message.Contains("SubmitJob attempt 2: HTTP 200", StringComparison.Ordinal));

        // Nothing logged (ours or IHttpClientFactory's) carries a secret, whatever the level.
        entries.Count.ShouldBeGreaterThan(5);
        entries.ShouldAllBe(e => !e.Message.Contains(SecretKey, StringComparison.Ordinal) && !e.Message.Contains(SessionToken, StringComparison.Ordinal));
        entries.SelectMany(e => e.State).Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")
            .ShouldAllBe(value => !value.Contains(SecretKey, StringComparison.Ordinal) && !value.Contains(SessionToken, StringComparison.Ordinal));
    }
}
