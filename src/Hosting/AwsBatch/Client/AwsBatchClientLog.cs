using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>Source-generated log messages of the AWS Batch client. Nothing here ever carries credentials.</summary>
internal static partial class AwsBatchClientLog
{
    [LoggerMessage(EventId = 1, EventName = "AwsBatchEndpointResolved", Level = LogLevel.Information,
        Message = "AWS Batch client uses {ServiceUri} (signing region {Region} from {RegionSource})")]
    public static partial void EndpointResolved(ILogger logger, Uri serviceUri, string region, string regionSource);

    [LoggerMessage(EventId = 2, EventName = "AwsBatchRequestSending", Level = LogLevel.Debug,
        Message = "AWS Batch {Operation} attempt {Attempt}: sending to {Uri}")]
    public static partial void Sending(ILogger logger, string operation, int attempt, Uri uri);

    [LoggerMessage(EventId = 3, EventName = "AwsBatchResponseReceived", Level = LogLevel.Debug,
        Message = "AWS Batch {Operation} attempt {Attempt}: HTTP {StatusCode} in {ElapsedMilliseconds:0} ms (request id {RequestId})")]
    public static partial void Received(ILogger logger, string operation, int attempt, int statusCode, double elapsedMilliseconds, string? requestId);

    [LoggerMessage(EventId = 4, EventName = "AwsBatchRequestRetrying", Level = LogLevel.Information,
        Message = "AWS Batch {Operation} attempt {Attempt} failed with {ErrorCode} (HTTP {StatusCode}, request id {RequestId}); retrying in {DelayMilliseconds:0} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, string errorCode, int? statusCode, string? requestId, double delayMilliseconds);

    [LoggerMessage(EventId = 5, EventName = "AwsBatchRequestFailed", Level = LogLevel.Debug,
        Message = "AWS Batch {Operation} failed after {Attempts} attempt(s) with {ErrorCode} (HTTP {StatusCode}, request id {RequestId})")]
    public static partial void Failed(ILogger logger, string operation, int attempts, string errorCode, int? statusCode, string? requestId);

    [LoggerMessage(EventId = 6, EventName = "AwsBatchSubmitLookup", Level = LogLevel.Information,
        Message = "AWS Batch SubmitJob of job {JobName} got no answer; looking the name up with ListJobs before sending it again")]
    public static partial void LookingUpSubmittedJob(ILogger logger, string jobName);

    [LoggerMessage(EventId = 7, EventName = "AwsBatchSubmitFoundExisting", Level = LogLevel.Information,
        Message = "AWS Batch job {JobName} ({JobId}) was created by an earlier SubmitJob attempt; not sending it again")]
    public static partial void FoundSubmittedJob(ILogger logger, string jobName, string jobId);

    [LoggerMessage(EventId = 8, EventName = "AwsBatchSubmitNotFound", Level = LogLevel.Information,
        Message = "AWS Batch job {JobName} was not created by the earlier SubmitJob attempt; sending it again")]
    public static partial void SubmittedJobNotFound(ILogger logger, string jobName);
}
