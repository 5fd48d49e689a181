using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>
/// A small AWS Batch stand-in on Kestrel (127.0.0.1, free port) for the client's HTTP tests: records every request,
/// checks its SigV4 signature with the AWS SDK's signer, keeps jobs in memory (SubmitJob, ListJobs with paging and the
/// JOB_NAME filter, DescribeJobs, TerminateJob, CancelJob), answers the other operations with the model's examples,
/// and lets a test script one-shot responses per operation (errors, delays, dropped connections).
/// Not the Batch emulator (src/BatchEmulator): just enough to pin the client's behaviour.
/// </summary>
internal sealed class FakeBatchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, RecordedRequest, Task>>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<JsonObject> _jobs = [];
    private readonly Lock _jobsLock = new();
    private readonly ImmutableCredentials _credentials;

    private FakeBatchServer(WebApplication app, ImmutableCredentials credentials)
    {
        _app = app;
        _credentials = credentials;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Page size of ListJobs when the request has no maxResults.</summary>
    public int DefaultPageSize { get; set; } = 100;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<JsonObject> Jobs
    {
        get
        {
            lock (_jobsLock)
            {
                return [.. _jobs];
            }
        }
    }

    /// <summary>Starts a server that checks signatures made with <paramref name="credentials"/>.</summary>
    public static async Task<FakeBatchServer> StartAsync(ImmutableCredentials credentials)
    {
        FakeBatchServer? server = null;
        var (_, url) = await Infrastructure.LoopbackWebServer.StartAsync(app =>
        {
            server = new FakeBatchServer(app, credentials);
            app.MapPost("/v1/{operation}", (Func<HttpContext, string, Task>)server.HandleAsync);
        });
        server!.Url = url;
        return server;
    }

    /// <summary>The next request for <paramref name="operation"/> (lower case, e.g. <c>submitjob</c>) is answered by <paramref name="responder"/>.</summary>
    public void Enqueue(string operation, Func<HttpContext, RecordedRequest, Task> responder)
        => _scripts.GetOrAdd(operation, _ => new()).Enqueue(responder);

    /// <summary>The next request for <paramref name="operation"/> gets an AWS-style error.</summary>
    public void EnqueueError(string operation, HttpStatusCode status, string code, string message)
        => Enqueue(operation, (context, _) => WriteErrorAsync(context, status, code, message));

    public IReadOnlyList<RecordedRequest> RequestsFor(string operation) => [.. _requests.Where(r => r.Operation == operation)];

    /// <summary>Answers as the in-memory service would.</summary>
    public Task RespondNormallyAsync(HttpContext context, RecordedRequest request) => request.Operation switch
    {
        "submitjob" => WriteJsonAsync(context, Submit(request.Json)),
        "listjobs" => WriteJsonAsync(context, List(request.Json)),
        "describejobs" => WriteJsonAsync(context, Describe(request.Json)),
        "terminatejob" or "canceljob" => Stop(context, request.Json),
        "describejobqueues" => WriteJsonAsync(context, ExampleOutput("DescribeJobQueues")),
        "describejobdefinitions" => WriteJsonAsync(context, ExampleOutput("DescribeJobDefinitions")),
        "registerjobdefinition" => WriteJsonAsync(context, ExampleOutput("RegisterJobDefinition")),
        _ => WriteErrorAsync(context, HttpStatusCode.NotFound, "UnknownOperationException", $"Unknown operation {request.Operation}"),
    };

    /// <summary>Adds a job as if an earlier SubmitJob had created it.</summary>
    public JsonObject AddJob(string jobName, string jobQueue, DateTimeOffset? createdAt = null, string status = "SUBMITTED")
    {
        var id = Guid.NewGuid().ToString();
        var job = new JsonObject
        {
            ["jobId"] = id,
            ["jobName"] = jobName,
            ["jobArn"] = $"arn:aws:batch:us-east-1:123456789012:job/{id}",
            ["jobQueue"] = jobQueue,
            ["jobDefinition"] = "arn:aws:batch:us-east-1:123456789012:job-definition/def:1",
            ["status"] = status,
            ["createdAt"] = (createdAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(),
        };
        lock (_jobsLock)
        {
            _jobs.Add(job);
        }

        return job;
    }

    public static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        context.Response.Headers["x-amzn-ErrorType"] = $"{code}:http://internal.amazon.com/coral/com.amazonaws.batch.v20160810/";
        return WriteBodyAsync(context, new JsonObject { ["message"] = message }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task WriteJsonAsync(HttpContext context, JsonNode body) => WriteBodyAsync(context, body.ToJsonString());

    private static async Task WriteBodyAsync(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private static JsonNode ExampleOutput(string operation)
        => JsonNode.Parse(AwsBatchReferenceModel.Examples(operation).First().GetProperty("output").GetRawText())!;

    private async Task HandleAsync(HttpContext context, string operation)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(
            operation,
            context.Request.Method,
            context.Request.Path.Value!,
            headers,
            body,
            JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body).RootElement.Clone(),
            VerifySignature(context, headers, body));
        _requests.Enqueue(request);
        context.Response.Headers["x-amzn-RequestId"] = $"req-{_requests.Count}-{Guid.NewGuid():N}";

        if (_scripts.TryGetValue(operation, out var queue) && queue.TryDequeue(out var responder))
        {
            await responder(context, request);
            return;
        }

        await RespondNormallyAsync(context, request);
    }

    /// <summary>Recomputes the signature with the SDK's signer at the request's X-Amz-Date and compares.</summary>
    private string? VerifySignature(HttpContext context, Dictionary<string, string> headers, byte[] body)
    {
        if (!headers.TryGetValue("Authorization", out var authorization) || !headers.TryGetValue("X-Amz-Date", out var amzDate))
        {
            return "missing Authorization or X-Amz-Date";
        }

        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var scope = authorization.Split("Credential=")[1].Split(',')[0].Split('/');
        var signing = new AWSSigningRequest
        {
            HttpMethod = HttpMethod.Post,
            RequestUri = new Uri($"http://{context.Request.Host}{context.Request.Path}"),
            Content = body,
        };
        foreach (var name in signedHeaders.Where(n => n is not "host" and not "x-amz-date" and not "x-amz-security-token" and not "x-amz-content-sha256"))
        {
            signing.Headers[name] = headers[name];
        }

        var signedAt = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        AWSCredentials credentials = _credentials.UseToken
            ? new SessionAWSCredentials(_credentials.AccessKey, _credentials.SecretKey, _credentials.Token)
            : new BasicAWSCredentials(_credentials.AccessKey, _credentials.SecretKey);
        var expected = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.GetBySystemName(scope[2]),
            Service = scope[3],
            SignedAt = signedAt,
        });
        var expectedAuthorization = expected.Headers.First(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value;
        return expectedAuthorization == authorization ? null : $"signature mismatch: expected {expectedAuthorization}, got {authorization}";
    }

    private JsonObject Submit(JsonElement request)
    {
        var job = AddJob(request.GetProperty("jobName").GetString()!, request.GetProperty("jobQueue").GetString()!);
        if (request.TryGetProperty("arrayProperties", out var array))
        {
            job["arrayProperties"] = new JsonObject { ["size"] = array.GetProperty("size").GetInt32() };
        }

        return new JsonObject { ["jobArn"] = job["jobArn"]!.DeepClone(), ["jobName"] = job["jobName"]!.DeepClone(), ["jobId"] = job["jobId"]!.DeepClone() };
    }

    private JsonObject List(JsonElement request)
    {
        IEnumerable<JsonObject> jobs = Jobs;
        if (request.TryGetProperty("jobQueue", out var queue))
        {
            jobs = jobs.Where(j => (string?)j["jobQueue"] == queue.GetString());
        }

        if (request.TryGetProperty("filters", out var filters))
        {
            foreach (var filter in filters.EnumerateArray().Where(f => f.GetProperty("name").GetString() == "JOB_NAME"))
            {
                var name = filter.GetProperty("values")[0].GetString();
                jobs = jobs.Where(j => string.Equals((string?)j["jobName"], name, StringComparison.OrdinalIgnoreCase));
            }
        }
        else
        {
            var status = request.TryGetProperty("jobStatus", out var s) ? s.GetString() : "RUNNING";
            jobs = jobs.Where(j => (string?)j["status"] == status);
        }

        var all = jobs.ToList();
        var offset = request.TryGetProperty("nextToken", out var token) ? int.Parse(token.GetString()!, CultureInfo.InvariantCulture) : 0;
        var size = request.TryGetProperty("maxResults", out var max) ? max.GetInt32() : DefaultPageSize;
        var page = all.Skip(offset).Take(size).Select(j => (JsonNode)new JsonObject
        {
            ["jobArn"] = j["jobArn"]!.DeepClone(),
            ["jobId"] = j["jobId"]!.DeepClone(),
            ["jobName"] = j["jobName"]!.DeepClone(),
            ["status"] = j["status"]!.DeepClone(),
            ["createdAt"] = j["createdAt"]!.DeepClone(),
        });
        var response = new JsonObject { ["jobSummaryList"] = new JsonArray([.. page]) };
        if (offset + size < all.Count)
        {
            response["nextToken"] = (offset + size).ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    private JsonObject Describe(JsonElement request)
    {
        var ids = request.GetProperty("jobs").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        return new JsonObject { ["jobs"] = new JsonArray([.. Jobs.Where(j => ids.Contains((string?)j["jobId"])).Select(j => j.DeepClone())]) };
    }

    private Task Stop(HttpContext context, JsonElement request)
    {
        var id = request.GetProperty("jobId").GetString();
        lock (_jobsLock)
        {
            foreach (var job in _jobs.Where(j => (string?)j["jobId"] == id))
            {
                job["status"] = "FAILED";
                job["statusReason"] = request.GetProperty("reason").GetString();
            }
        }

        return WriteBodyAsync(context, "{}");
    }
}

/// <summary>A request as the fake server received it; <c>SignatureProblem</c> is null when the SigV4 signature verified.</summary>
internal sealed record RecordedRequest(
    string Operation,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    JsonElement Json,
    string? SignatureProblem)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
