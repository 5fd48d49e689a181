namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// Error codes carried by <see cref="AwsBatchException.ErrorCode"/>: the service's own codes (from the
/// <c>x-amzn-ErrorType</c> header or the body) and the client's codes for failures that never got a service answer.
/// </summary>
public static class AwsBatchErrorCodes
{
    /// <summary>The request was invalid or not allowed (HTTP 400), e.g. an unknown job queue.</summary>
    public const string ClientException = "ClientException";

    /// <summary>The service failed (HTTP 500); retried.</summary>
    public const string ServerException = "ServerException";

    /// <summary>The request was throttled (HTTP 429); retried.</summary>
    public const string TooManyRequestsException = "TooManyRequestsException";

    /// <summary>The request was throttled; retried.</summary>
    public const string ThrottlingException = "ThrottlingException";

    /// <summary>The temporary credentials (session token) have expired.</summary>
    public const string ExpiredTokenException = "ExpiredTokenException";

    /// <summary>The access key is not known to AWS.</summary>
    public const string UnrecognizedClientException = "UnrecognizedClientException";

    /// <summary>The signature did not match, usually a wrong secret key or a skewed clock.</summary>
    public const string InvalidSignatureException = "InvalidSignatureException";

    /// <summary>Client: no credentials could be resolved from the credential chain (or the given credentials failed).</summary>
    public const string CredentialsNotFound = "CredentialsNotFound";

    /// <summary>Client: no region is configured anywhere in the region chain.</summary>
    public const string RegionNotConfigured = "RegionNotConfigured";

    /// <summary>Client: a region from the environment or profile is malformed.</summary>
    public const string InvalidRegion = "InvalidRegion";

    /// <summary>Client: the endpoint could not be reached or the connection failed.</summary>
    public const string NetworkError = "NetworkError";

    /// <summary>Client: no response arrived within the per-attempt timeout.</summary>
    public const string RequestTimeout = "RequestTimeout";

    /// <summary>Client: a successful response could not be read.</summary>
    public const string InvalidResponse = "InvalidResponse";

    /// <summary>
    /// Client: a <c>SubmitJob</c> response was lost and the follow-up <c>ListJobs</c> look-up failed, so whether the
    /// job exists is unknown; it was not resent to avoid a duplicate.
    /// </summary>
    public const string SubmitJobOutcomeUnknown = "SubmitJobOutcomeUnknown";

    private static readonly HashSet<string> CredentialsCodes = new(StringComparer.Ordinal)
    {
        CredentialsNotFound,
        ExpiredTokenException,
        "ExpiredToken",
        "RequestExpired",
        UnrecognizedClientException,
        "InvalidClientTokenId",
        InvalidSignatureException,
        "SignatureDoesNotMatch",
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
    };

    // The AWS SDKs' list of throttling codes; Batch itself uses TooManyRequestsException (429).
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        TooManyRequestsException,
        ThrottlingException,
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "RequestThrottled",
        "RequestLimitExceeded",
        "SlowDown",
        "PriorRequestNotComplete",
        "BandwidthLimitExceeded",
        "LimitExceededException",
    };

    /// <summary>Whether a code means the credentials are missing, invalid or expired.</summary>
    /// <param name="errorCode">The error code.</param>
    /// <returns><see langword="true"/> for credential problems.</returns>
    public static bool IsCredentialsError(string errorCode) => CredentialsCodes.Contains(errorCode);

    /// <summary>Whether a code means the request was throttled.</summary>
    /// <param name="errorCode">The error code.</param>
    /// <returns><see langword="true"/> for throttling.</returns>
    public static bool IsThrottling(string errorCode) => ThrottlingCodes.Contains(errorCode);
}
