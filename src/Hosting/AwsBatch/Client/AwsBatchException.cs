using System.Net;
using System.Text;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// The one exception <see cref="IAwsBatchClient"/> throws for a failed call: a service error, a credentials or
/// region problem, or a network failure after the retries. <see cref="Exception.Message"/> is one line fit for a
/// command line, e.g. <c>AWS Batch SubmitJob failed: ClientException: Job queue q does not exist (request id 1f2e...)</c>.
/// <see cref="Logs.CloudWatchLogsClient"/> throws it too, for the job logs (<see cref="Service"/> says which).
/// </summary>
public sealed class AwsBatchException : Exception
{
    private readonly string? _hint;

    /// <summary>Creates the exception (also for fakes and emulators of <see cref="IAwsBatchClient"/>).</summary>
    /// <param name="operation">The API operation, e.g. <c>SubmitJob</c>.</param>
    /// <param name="errorCode">The error code; see <see cref="AwsBatchErrorCodes"/>.</param>
    /// <param name="errorMessage">The service's message, or a description of the client-side failure.</param>
    /// <param name="statusCode">The HTTP status, when the service answered.</param>
    /// <param name="requestId">The <c>x-amzn-RequestId</c> of the failed response, when the service answered.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public AwsBatchException(
        string operation,
        string errorCode,
        string? errorMessage,
        HttpStatusCode? statusCode = null,
        string? requestId = null,
        Exception? innerException = null)
        : this(operation, errorCode, errorMessage, statusCode, requestId, hint: null, innerException)
    {
    }

    internal AwsBatchException(
        string operation,
        string errorCode,
        string? errorMessage,
        HttpStatusCode? statusCode,
        string? requestId,
        string? hint,
        Exception? innerException)
        : base(errorMessage, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        Operation = operation;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        StatusCode = statusCode;
        RequestId = requestId;
        _hint = hint;
    }

    /// <summary>The service that was called: <c>AWS Batch</c>, or <c>CloudWatch Logs</c> for job logs.</summary>
    public string Service { get; internal set; } = "AWS Batch";

    /// <summary>The API operation that failed, e.g. <c>SubmitJob</c>.</summary>
    public string Operation { get; }

    /// <summary>The error code, e.g. <c>ClientException</c>; see <see cref="AwsBatchErrorCodes"/>.</summary>
    public string ErrorCode { get; }

    /// <summary>The service's message, or a description of the client-side failure.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The HTTP status of the failed response; <see langword="null"/> when the service never answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The request id (<c>x-amzn-RequestId</c>) to quote to AWS support; <see langword="null"/> without a response.</summary>
    public string? RequestId { get; }

    /// <summary>How many attempts were made (1 when the error was not retried).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>
    /// Whether the credentials are missing, invalid or expired (<see cref="AwsBatchErrorCodes.CredentialsNotFound"/>,
    /// <c>ExpiredTokenException</c>, <c>UnrecognizedClientException</c>, ...). The message says what to set.
    /// </summary>
    public bool IsCredentialsError => AwsBatchErrorCodes.IsCredentialsError(ErrorCode);

    /// <summary>Whether the request was throttled (and the retries did not get through).</summary>
    public bool IsThrottling => StatusCode == HttpStatusCode.TooManyRequests || AwsBatchErrorCodes.IsThrottling(ErrorCode);

    /// <summary>A one-line description: operation, attempts, code, message, request id and, for credential problems, what to set.</summary>
    public override string Message
    {
        get
        {
            var text = new StringBuilder(Service).Append(' ').Append(Operation).Append(" failed");
            if (Attempts > 1)
            {
                text.Append(" after ").Append(Attempts).Append(" attempts");
            }

            text.Append(": ").Append(ErrorCode);
            if (!string.IsNullOrWhiteSpace(ErrorMessage))
            {
                text.Append(": ").Append(OneLine(ErrorMessage));
            }

            if (RequestId is not null)
            {
                text.Append(" (request id ").Append(RequestId).Append(')');
            }

            if (_hint is not null)
            {
                text.Append(". ").Append(_hint);
            }

            return text.ToString();
        }
    }

    /// <summary>Whether the client may retry the call (throttling, 5xx, network errors, timeouts).</summary>
    internal bool IsRetryable { get; init; }

    /// <summary>Whether the request may have been processed although no answer arrived (5xx, lost connection, timeout).</summary>
    internal bool IsAmbiguous { get; init; }

    private static string OneLine(string text)
        => text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : text.Trim();
}
