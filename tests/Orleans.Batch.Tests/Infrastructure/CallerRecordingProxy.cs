using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// A forwarding proxy on 127.0.0.1 in front of DynamoDB Local that records who called what: the access key each
/// request was signed with (SigV4 <c>Credential=</c>) and the IAM actions the request needs (its <c>X-Amz-Target</c>
/// operation; a transaction needs the action of each item in it, as IAM authorizes them).
/// </summary>
public sealed class CallerRecordingProxy : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Caller, string Action), int> _calls = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private readonly Uri _target;
    private WebApplication? _app;

    private CallerRecordingProxy(Uri target) => _target = target;

    /// <summary>Where clients send their requests.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The IAM actions (<c>dynamodb:GetItem</c>, ...) requested with <paramref name="accessKey"/>.</summary>
    public IReadOnlySet<string> ActionsOf(string accessKey) =>
        _calls.Keys.Where(k => k.Caller == accessKey).Select(k => k.Action).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every access key seen.</summary>
    public IReadOnlySet<string> Callers => _calls.Keys.Select(k => k.Caller).ToHashSet(StringComparer.Ordinal);

    public static async Task<CallerRecordingProxy> StartAsync(Uri target)
    {
        var proxy = new CallerRecordingProxy(target);
        (proxy._app, proxy.Address) = await LoopbackWebServer.StartAsync(app => app.Run(proxy.ForwardAsync));
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _upstream.Dispose();
    }

    /// <summary>The access key of a SigV4 <c>Authorization</c> header; empty when unsigned.</summary>
    public static string AccessKeyOf(string authorization)
    {
        var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        return start < 0 ? string.Empty : authorization[(start + "Credential=".Length)..].Split('/')[0];
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var caller = AccessKeyOf(context.Request.Headers.Authorization.ToString());
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        foreach (var action in ActionsOf(target[(target.LastIndexOf('.') + 1)..], body.ToArray()))
        {
            _calls.AddOrUpdate((caller, action), 1, static (_, count) => count + 1);
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
        request.Content = new ByteArrayContent(body.ToArray());
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name is "Host" or "Content-Length" or "Connection" or "Transfer-Encoding" or "Expect")
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        request.Headers.Host = context.Request.Host.Value;
        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Content-Length" or "Connection"))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    // IAM authorizes a transaction per item: TransactWriteItems as PutItem, UpdateItem, DeleteItem, ConditionCheckItem.
    private static List<string> ActionsOf(string operation, byte[] body)
    {
        if (operation is not ("TransactWriteItems" or "TransactGetItems"))
        {
            return [$"dynamodb:{operation}"];
        }

        var items = JsonNode.Parse(body)?["TransactItems"]?.AsArray() ?? [];
        return items.SelectMany(item => item!.AsObject().Select(p => p.Key switch
        {
            "Put" => "dynamodb:PutItem",
            "Update" => "dynamodb:UpdateItem",
            "Delete" => "dynamodb:DeleteItem",
            "ConditionCheck" => "dynamodb:ConditionCheckItem",
            "Get" => "dynamodb:GetItem",
            _ => $"dynamodb:(unknown transaction item {p.Key})",
        })).Distinct(StringComparer.Ordinal).ToList();
    }
}
