using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// Plain HTTP calls to the emulator's Batch and CloudWatch Logs endpoints, signed with AWSSDK.Core's SigV4
/// handler like a real client, returning the raw JSON so tests check the wire contract.
/// </summary>
public sealed class BatchTestClient : IDisposable
{
    public const string AccessKey = "AKIAEMULATORTEST";
    public const string SecretKey = "emulator-test-secret";

    private readonly HttpClient _batch;
    private readonly HttpClient _logs;
    private readonly HttpClient _unsigned;

    public BatchTestClient(Uri baseAddress, string accessKey = AccessKey, string region = "us-east-1")
    {
        BaseAddress = baseAddress;
        _batch = Signed(baseAddress, accessKey, region, "batch");
        _logs = Signed(baseAddress, accessKey, region, "logs");
        _unsigned = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    /// <summary>Calls <c>POST /v1/&lt;operation lower case&gt;</c> with <paramref name="body"/> as JSON.</summary>
    public async Task<AwsResponse> CallAsync(string operation, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/" + operation.ToLowerInvariant()) { Content = JsonContent(body, "application/json") };
        return await SendAsync(_batch, request);
    }

    /// <summary>Calls CloudWatch Logs GetLogEvents (JSON 1.1).</summary>
    public async Task<AwsResponse> GetLogEventsAsync(object body, string target = "Logs_20140328.GetLogEvents")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = JsonContent(body, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", target);
        return await SendAsync(_logs, request);
    }

    /// <summary>Sends a request exactly as built (no signature), e.g. with a hand-made Authorization header.</summary>
    public async Task<AwsResponse> SendUnsignedAsync(HttpRequestMessage request) => await SendAsync(_unsigned, request);

    public static StringContent JsonContent(object body, string contentType)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public async Task<string> SubmitJobAsync(object request) =>
        (await CallAsync("SubmitJob", request)).Ok()["jobId"]!.GetValue<string>();

    /// <summary>DescribeJobs for one job; fails if the job is unknown.</summary>
    public async Task<JsonNode> DescribeJobAsync(string jobId)
    {
        var jobs = (await CallAsync("DescribeJobs", new { jobs = new[] { jobId } })).Ok()["jobs"]!.AsArray();
        jobs.Count.ShouldBe(1, $"DescribeJobs should know job {jobId}");
        return jobs[0]!;
    }

    public Task<JsonNode> WaitForStatusAsync(string jobId, string status, TimeSpan? timeout = null) =>
        Eventually.MatchesAsync(
            () => DescribeJobAsync(jobId),
            job => job["status"]!.GetValue<string>() == status,
            timeout ?? TimeSpan.FromSeconds(20),
            $"job {jobId} is {status}");

    public Task<JsonNode> WaitForAnyStatusAsync(string jobId, string[] statuses, TimeSpan? timeout = null) =>
        Eventually.MatchesAsync(
            () => DescribeJobAsync(jobId),
            job => statuses.Contains(job["status"]!.GetValue<string>()),
            timeout ?? TimeSpan.FromSeconds(20),
            $"job {jobId} is one of {string.Join(", ", statuses)}");

    private static HttpClient Signed(Uri baseAddress, string accessKey, string region, string service) =>
        new(new SigV4SigningHandler(new BasicAWSCredentials(accessKey, SecretKey), RegionEndpoint.GetBySystemName(region), service)
        {
            InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false },
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static async Task<AwsResponse> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First() : null;
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null;
        return new AwsResponse(response.StatusCode, body, errorType, requestId, response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose()
    {
        _batch.Dispose();
        _logs.Dispose();
        _unsigned.Dispose();
    }
}
