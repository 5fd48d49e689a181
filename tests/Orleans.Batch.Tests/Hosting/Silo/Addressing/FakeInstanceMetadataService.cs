using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// A fake EC2 instance metadata service that enforces IMDSv2: <c>PUT /latest/api/token</c> with a TTL header
/// (1 to 21600 seconds) returns a token, and <c>GET /latest/meta-data/local-ipv4</c> answers only with that token
/// (or without one when <see cref="TokenStatus"/> pretends the token API does not exist).
/// </summary>
public sealed class FakeInstanceMetadataService : IAsyncDisposable
{
    public const string TokenPath = "/latest/api/token";
    public const string LocalIPv4Path = "/latest/meta-data/local-ipv4";
    public const string TtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    public const string TokenHeader = "X-aws-ec2-metadata-token";

    private readonly string _token = "AQAEAFakeToken-" + Guid.NewGuid().ToString("N");
    private int _localIPv4Failures;

    private FakeInstanceMetadataService(FakeMetadataServer server) => Server = server;

    public FakeMetadataServer Server { get; }

    public Uri Endpoint => Server.BaseUri;

    /// <summary>What <c>local-ipv4</c> answers.</summary>
    public string LocalIPv4 { get; set; } = "10.0.1.5";

    /// <summary>200 issues tokens; 403 (IMDS off), 404 or 405 (no token API) refuse.</summary>
    public int TokenStatus { get; set; } = StatusCodes.Status200OK;

    /// <summary>The token request never gets an answer.</summary>
    public bool HangOnToken { get; set; }

    /// <summary>How many <c>local-ipv4</c> requests get a 500 before one succeeds.</summary>
    public int LocalIPv4FailuresBeforeSuccess { get; set; }

    /// <summary>The status <c>local-ipv4</c> answers with instead of the address (404: no IPv4 address).</summary>
    public int? LocalIPv4Status { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. Server.Requests];

    public static async Task<FakeInstanceMetadataService> StartAsync()
    {
        FakeInstanceMetadataService? service = null;
        var server = await FakeMetadataServer.StartAsync((context, self) => service!.HandleAsync(context));
        service = new FakeInstanceMetadataService(server);
        return service;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == TokenPath)
        {
            await HandleTokenAsync(context);
        }
        else if (request.Path == LocalIPv4Path && HttpMethods.IsGet(request.Method))
        {
            await HandleLocalIPv4Async(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task HandleTokenAsync(HttpContext context)
    {
        if (!HttpMethods.IsPut(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (HangOnToken)
        {
            await Server.HangAsync(context);
            return;
        }

        if (TokenStatus != StatusCodes.Status200OK)
        {
            context.Response.StatusCode = TokenStatus;
            return;
        }

        // The real service answers 400 to a token request without a valid TTL.
        if (!int.TryParse(context.Request.Headers[TtlHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl)
            || ttl is < 1 or > 21600)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await context.Response.WriteAsync(_token);
    }

    private async Task HandleLocalIPv4Async(HttpContext context)
    {
        var tokenApiExists = TokenStatus == StatusCodes.Status200OK;
        if (tokenApiExists && context.Request.Headers[TokenHeader] != _token)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (Interlocked.Increment(ref _localIPv4Failures) <= LocalIPv4FailuresBeforeSuccess)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        if (LocalIPv4Status is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(LocalIPv4);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
