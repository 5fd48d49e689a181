using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Batch.BatchEmulator.Api;
using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Jobs;

namespace Orleans.Batch.BatchEmulator.Spot;

/// <summary>
/// What Spot does to a job, on demand: an interruption notice in the job's instance metadata, and the reclamation of
/// its instance. Each job sees its own instance metadata service under <c>/_imds/&lt;job&gt;/</c> (the emulator sets
/// <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> for it), speaking IMDSv2: a token from <c>PUT latest/api/token</c>, then
/// <c>GET latest/meta-data/…</c> with it.
/// </summary>
internal sealed class SpotApi(JobEngine engine)
{
    private const string TokenHeader = "X-aws-ec2-metadata-token";
    private const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    private static readonly EmulatorJsonContext Json = EmulatorJsonContext.Default;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/_emulator/jobs/{jobId}/reclaim", ReclaimAsync);
        endpoints.MapPost("/_emulator/jobs/{jobId}/spot-notice", NoticeAsync);
        endpoints.MapPut("/_imds/{key}/latest/api/token", TokenAsync);
        endpoints.MapGet("/_imds/{key}/latest/meta-data/spot/instance-action", InstanceActionAsync);
        endpoints.MapGet("/_imds/{key}/latest/meta-data/local-ipv4", LocalIPv4Async);
    }

    /// <summary><c>POST /_emulator/jobs/{jobId}/reclaim</c>: the job's instance goes now (SIGTERM, then SIGKILL after the grace period).</summary>
    private Task ReclaimAsync(HttpContext context)
    {
        var jobId = (string)context.Request.RouteValues["jobId"]!;
        return engine.Mutate(() => engine.FindJob(jobId) is not { } job ? 404 : engine.Reclaim(job) ? 202 : 409) switch
        {
            404 => ErrorAsync(context, 404, $"No job {jobId}."),
            409 => ErrorAsync(context, 409, $"Job {jobId} is not RUNNING (or is already stopping): there is no instance to reclaim."),
            _ => ErrorAsync(context, 202, $"Reclaiming the instance of job {jobId}."),
        };
    }

    /// <summary>
    /// <c>POST /_emulator/jobs/{jobId}/spot-notice?reclaimAfterSeconds=N</c>: the job's instance metadata announces the
    /// interruption; the instance is reclaimed N seconds later (default: never, only the notice).
    /// </summary>
    private Task NoticeAsync(HttpContext context)
    {
        var jobId = (string)context.Request.RouteValues["jobId"]!;
        TimeSpan? reclaimAfter = null;
        if (context.Request.Query["reclaimAfterSeconds"].ToString() is { Length: > 0 } text)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            {
                return ErrorAsync(context, 400, $"reclaimAfterSeconds must be a non-negative number of seconds, got '{text}'.");
            }

            reclaimAfter = TimeSpan.FromSeconds(seconds);
        }

        return engine.Mutate(() => engine.FindJob(jobId) is not { } job ? 404 : engine.GiveSpotNotice(job, reclaimAfter) ? 202 : 409) switch
        {
            404 => ErrorAsync(context, 404, $"No job {jobId}."),
            409 => ErrorAsync(context, 409, $"Job {jobId} is not RUNNING: there is no instance to notify."),
            _ => ErrorAsync(context, 202, $"Spot interruption notice given to job {jobId}."),
        };
    }

    private Task TokenAsync(HttpContext context)
    {
        if (!context.Request.Headers.ContainsKey(TokenTtlHeader))
        {
            return Text(context, 400, "missing " + TokenTtlHeader);
        }

        return Text(context, 200, "emulated-" + Guid.NewGuid().ToString("N"));
    }

    private Task InstanceActionAsync(HttpContext context)
    {
        if (!HasToken(context))
        {
            return Text(context, 401, "");
        }

        var key = (string)context.Request.RouteValues["key"]!;
        var action = engine.Read(() => engine.FindJobByInstanceMetadataKey(key)?.SpotInstanceAction);

        // Like EC2: 404 until a notice is given.
        return action is null ? Text(context, 404, "Not Found") : Text(context, 200, action, "application/json");
    }

    private static Task LocalIPv4Async(HttpContext context) =>
        HasToken(context) ? Text(context, 200, "127.0.0.1") : Text(context, 401, "");

    private static bool HasToken(HttpContext context) => context.Request.Headers[TokenHeader].ToString().StartsWith("emulated-", StringComparison.Ordinal);

    private static async Task Text(HttpContext context, int statusCode, string body, string contentType = "text/plain")
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int statusCode, string message) =>
        AwsHttp.WriteAsync(context.Response, statusCode, new ErrorBody { Message = message }, Json.ErrorBody, "application/json");
}
