using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Batch.BatchEmulator.Api;
using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Faults;
using Orleans.Batch.BatchEmulator.Security;
using Orleans.Batch.BatchEmulator.Stats;

namespace Orleans.Batch.BatchEmulator.Logs;

/// <summary>
/// A CloudWatch Logs endpoint (JSON 1.1 protocol, <c>POST /</c> with <c>X-Amz-Target</c>) that serves
/// GetLogEvents for the job log streams of the group <c>/aws/batch/job</c>.
/// </summary>
internal sealed class CloudWatchLogsApi(JobLogStore logs, SignatureGate gate, FaultInjector faults, ApiCallCounters counters, ILogger<CloudWatchLogsApi> logger)
{
    private const string TargetPrefix = "Logs_20140328.";
    private const string GetLogEventsOperation = "GetLogEvents";
    private const int MaxLimit = 10_000;

    public async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        try
        {
            if (operation != GetLogEventsOperation)
            {
                throw new AwsServiceException(400, "UnknownOperationException",
                    string.IsNullOrEmpty(target) ? "Missing X-Amz-Target header." : $"Operation {target} is not served by the Batch emulator (only {TargetPrefix}{GetLogEventsOperation}).");
            }

            string caller;
            try
            {
                caller = gate.Check(context.Request, "logs");
            }
            catch (AwsServiceException)
            {
                counters.RejectedRequest();
                throw;
            }

            counters.Called(operation, caller);
            switch (faults.Take(operation))
            {
                case FaultKind.Throttle:
                    counters.Faulted(operation);
                    throw new AwsServiceException(400, "ThrottlingException", "Rate exceeded");
                case FaultKind.ServerError:
                    counters.Faulted(operation);
                    throw new AwsServiceException(500, "ServiceUnavailableException", "The service cannot complete the request (injected by the Batch emulator).");
                case FaultKind.DropResponse:
                    counters.Faulted(operation);
                    context.Abort();
                    return;
            }

            var request = await AwsHttp.ReadBodyAsync(context.Request, EmulatorJsonContext.Default.GetLogEventsRequest, context.RequestAborted).ConfigureAwait(false);
            var response = GetLogEvents(request);
            await AwsHttp.WriteAsync(context.Response, 200, response, EmulatorJsonContext.Default.GetLogEventsResponse, AwsHttp.Json11ContentType).ConfigureAwait(false);
        }
        catch (AwsServiceException error)
        {
            if (error.StatusCode != 403 && operation == GetLogEventsOperation)
            {
                counters.Failed(operation);
            }

            EmulatorLog.RequestFailed(logger, operation, error.StatusCode, error.ErrorType, error.Message);
            await AwsHttp.WriteJson11ErrorAsync(context.Response, error).ConfigureAwait(false);
        }
    }

    private GetLogEventsResponse GetLogEvents(GetLogEventsRequest request)
    {
        if (request.LogGroupName is not null && request.LogGroupIdentifier is not null)
        {
            throw InvalidParameter("LogGroupName and LogGroupIdentifier are mutually exclusive: specify only one.");
        }

        var group = request.LogGroupName ?? GroupFromIdentifier(request.LogGroupIdentifier)
            ?? throw InvalidParameter("Either logGroupName or logGroupIdentifier must be specified.");
        var streamName = request.LogStreamName
            ?? throw InvalidParameter("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
        var limit = request.Limit ?? MaxLimit;
        if (limit is < 1 or > MaxLimit)
        {
            throw InvalidParameter($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {MaxLimit}");
        }

        if (group != JobLogStore.LogGroupName)
        {
            throw new AwsServiceException(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }

        var stream = logs.Find(streamName) ?? throw new AwsServiceException(400, "ResourceNotFoundException", "The specified log stream does not exist.");
        var events = stream.Snapshot(request.StartTime, request.EndTime);

        // Tokens are positions in the stream: f/<n> reads forward from n, b/<n> backward from n.
        int start, end;
        if (ParseToken(request.NextToken) is { } token)
        {
            var position = Math.Min(token.Position, events.Count);
            (start, end) = token.Forward
                ? (position, Math.Min(events.Count, position + limit))
                : (Math.Max(0, position - limit), position);
        }
        else if (request.StartFromHead == true)
        {
            (start, end) = (0, Math.Min(events.Count, limit));
        }
        else
        {
            (start, end) = (Math.Max(0, events.Count - limit), events.Count);
        }

        return new GetLogEventsResponse
        {
            Events = events.Skip(start).Take(end - start)
                .Select(e => new OutputLogEventShape { Timestamp = e.Timestamp, Message = e.Message, IngestionTime = e.IngestionTime })
                .ToList(),
            NextForwardToken = Token('f', end),
            NextBackwardToken = Token('b', start),
        };
    }

    private static string? GroupFromIdentifier(string? identifier)
    {
        // An identifier is a name or an ARN arn:aws:logs:<region>:<account>:log-group:<name>[:*].
        if (identifier is null || !identifier.StartsWith("arn:", StringComparison.Ordinal))
        {
            return identifier;
        }

        var marker = identifier.IndexOf(":log-group:", StringComparison.Ordinal);
        var name = marker < 0 ? identifier : identifier[(marker + ":log-group:".Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    private static string Token(char direction, int position) =>
        $"{direction}/{position.ToString("D20", CultureInfo.InvariantCulture)}/s";

    private static (bool Forward, int Position)? ParseToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var parts = token.Split('/');
        if (parts.Length == 3 && parts[0] is "f" or "b" && parts[2] == "s"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return (parts[0] == "f", position);
        }

        throw InvalidParameter("The specified nextToken is invalid.");
    }

    private static AwsServiceException InvalidParameter(string message) => new(400, "InvalidParameterException", message);
}
