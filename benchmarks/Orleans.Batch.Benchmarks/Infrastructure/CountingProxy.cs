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
internal sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(
        ["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Expect", "Host", "Content-Length"],
        StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private long _answered;
    private long _answerTicks;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private WebApplication? _app;

    private CountingProxy(Uri target)
    {
        _target = target;
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
    public static async Task<CountingProxy> StartAsync(Uri target, CancellationToken cancellationToken)
    {
        var proxy = new CountingProxy(target);
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
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path.Value + context.Request.QueryString.Value))
        {
            Content = new ByteArrayContent(body.ToArray()),
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

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
