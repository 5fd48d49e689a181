using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>
/// A forwarding HTTP proxy on 127.0.0.1 in front of DynamoDB Local that counts the requests it passes, by DynamoDB
/// operation (the <c>X-Amz-Target</c> header). Requests and responses go through byte for byte (the Host header
/// included, so the SigV4 signature still matches), so clients see DynamoDB Local as if they talked to it directly.
/// </summary>
/// <remarks>
/// With <see cref="CapacityLimits"/>, it also asks DynamoDB Local for each request's consumed capacity (adding
/// <c>ReturnConsumedCapacity: TOTAL</c>; DynamoDB Local does not check signatures), counts read and write units
/// per second, and enforces one partition's limits as DynamoDB does (<see cref="CapacityBucket"/>): while the reads
/// (or writes) answered have used more than the limit per second allows, further reads (writes) are answered with
/// <c>ProvisionedThroughputExceededException</c>.
/// </remarks>
internal sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(
        ["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Expect", "Host", "Content-Length"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ReadOperations = new(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"], StringComparer.Ordinal);
    private static readonly HashSet<string> WriteOperations = new(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"], StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, CapacitySecond> _seconds = new();
    private readonly CapacityLimits? _limits;
    private readonly CapacityBucket? _readBucket;
    private readonly CapacityBucket? _writeBucket;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private long _answered;
    private long _answerTicks;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private WebApplication? _app;

    private CountingProxy(Uri target, CapacityLimits? limits)
    {
        _target = target;
        _limits = limits;
        if (limits is not null)
        {
            _readBucket = new CapacityBucket(limits.ReadUnitsPerSecond);
            _writeBucket = new CapacityBucket(limits.WriteUnitsPerSecond);
        }
        _upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Where clients send their requests, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts a proxy to <paramref name="target"/> on a free loopback port.</summary>
    public static async Task<CountingProxy> StartAsync(Uri target, CancellationToken cancellationToken, CapacityLimits? limits = null)
    {
        var proxy = new CountingProxy(target, limits);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(proxy.ForwardAsync);
        await app.StartAsync(cancellationToken);
        proxy._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Address = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
        return proxy;
    }

    /// <summary>The second of the proxy's clock now (for <see cref="Capacity"/>).</summary>
    public long CurrentSecond => (long)Stopwatch.GetElapsedTime(_origin).TotalSeconds;

    /// <summary>Read and write units, requests and throttled requests in the seconds from <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    public CapacitySecond Capacity(long from, long to)
    {
        var total = new CapacitySecond();
        for (var second = from; second < to; second++)
        {
            if (_seconds.TryGetValue(second, out var s))
            {
                total = total.Plus(s);
            }
        }

        return total;
    }

    /// <summary>The busiest second's read and write units from <paramref name="from"/> up to <paramref name="to"/>.</summary>
    public (double ReadUnits, double WriteUnits) Peak(long from, long to)
    {
        var seconds = Enumerable.Range(0, (int)Math.Max(0, to - from)).Select(i => _seconds.GetValueOrDefault(from + i) ?? new CapacitySecond()).ToList();
        return seconds.Count == 0 ? (0, 0) : (seconds.Max(s => s.ReadUnits), seconds.Max(s => s.WriteUnits));
    }

    /// <summary>Requests passed so far, per operation.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_requests, StringComparer.Ordinal);

    /// <summary>Requests answered so far, and the time DynamoDB Local took for them in total (to its response headers).</summary>
    public (long Answered, TimeSpan Total) AnswerTimes() => (Interlocked.Read(ref _answered), TimeSpan.FromTicks(Interlocked.Read(ref _answerTicks)));

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _upstream.Dispose();
    }

    /// <summary>The requests in <paramref name="after"/> but not in <paramref name="before"/>, per operation.</summary>
    public static Dictionary<string, long> Difference(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);

    private async Task ForwardAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.Length == 0 ? "(no X-Amz-Target)" : target[(target.LastIndexOf('.') + 1)..];
        _requests.AddOrUpdate(operation, 1, static (_, count) => count + 1);

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var content = body.ToArray();
        if (_limits is not null && operation == "Query")
        {
            // A partition read or a gateway list (the only filtered query of ours): which one is the question at scale.
            var filtered = System.Text.Encoding.UTF8.GetString(content).Contains("\"FilterExpression\"", StringComparison.Ordinal);
            _requests.AddOrUpdate(filtered ? "Query (filtered)" : "Query (partition)", 1, static (_, count) => count + 1);
        }

        var isRead = ReadOperations.Contains(operation);
        var isWrite = WriteOperations.Contains(operation);
        var second = _seconds.GetOrAdd(CurrentSecond, static _ => new CapacitySecond());
        if (_limits is { } limits && (isRead || isWrite))
        {
            second.Count(requests: 1);
            if ((isRead && !_readBucket!.TryAdmit()) || (isWrite && !_writeBucket!.TryAdmit()))
            {
                second.Count(throttled: 1);
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/x-amz-json-1.0";
                await context.Response.WriteAsync(
                    """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded (benchmark proxy: one partition's limits)."}""",
                    context.RequestAborted);
                return;
            }

            content = WithConsumedCapacity(content);
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path.Value + context.Request.QueryString.Value))
        {
            Content = new ByteArrayContent(content),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.Host = context.Request.Host.Value;
        var sent = Stopwatch.GetTimestamp();
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        Interlocked.Add(ref _answerTicks, Stopwatch.GetElapsedTime(sent).Ticks);
        Interlocked.Increment(ref _answered);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (_limits is null || !(isRead || isWrite))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        var units = ConsumedUnits(answer);
        second.Count(readUnits: isRead ? units : 0, writeUnits: isWrite ? units : 0);
        (isRead ? _readBucket : _writeBucket)!.Charge(units);
        context.Response.Headers.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private static byte[] WithConsumedCapacity(byte[] content)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(content) is not System.Text.Json.Nodes.JsonObject json || json.ContainsKey("ReturnConsumedCapacity"))
        {
            return content;
        }

        json["ReturnConsumedCapacity"] = "TOTAL";
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    // ConsumedCapacity is one object, or a list of them (one per table) for batches and transactions.
    private static double ConsumedUnits(byte[] answer)
    {
        try
        {
            var consumed = System.Text.Json.Nodes.JsonNode.Parse(answer)?["ConsumedCapacity"];
            return consumed switch
            {
                System.Text.Json.Nodes.JsonArray list => list.Sum(c => c?["CapacityUnits"]?.GetValue<double>() ?? 0),
                System.Text.Json.Nodes.JsonObject one => one["CapacityUnits"]?.GetValue<double>() ?? 0,
                _ => 0,
            };
        }
        catch (System.Text.Json.JsonException)
        {
            return 0;
        }
    }
}
