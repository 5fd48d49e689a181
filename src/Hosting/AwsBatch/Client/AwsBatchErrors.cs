using System.Net;
using System.Text.Json;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>Builds <see cref="AwsBatchException"/>s: parses REST-JSON error responses and describes client-side failures.</summary>
internal static class AwsBatchErrors
{
    private const string SetCredentialsHint =
        "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary credentials), "
        + "or AWS_PROFILE to a profile in ~/.aws/config or ~/.aws/credentials (run 'aws sso login' for an SSO profile), "
        + "or run with an IAM role (ECS task role, EC2 instance profile, web identity)";

    /// <summary>Maps a non-success response to an exception; the code comes from <c>x-amzn-ErrorType</c>, else the body.</summary>
    public static AwsBatchException FromResponse(string operation, HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        string? code = null;
        string? message = null;
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var errorTypes))
        {
            code = TrimErrorType(errorTypes.FirstOrDefault());
        }

        try
        {
            if (!body.IsEmpty)
            {
                using var document = JsonDocument.Parse(body.ToArray());
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    code ??= TrimErrorType(GetString(document.RootElement, "__type") ?? GetString(document.RootElement, "code") ?? GetString(document.RootElement, "Code"));
                    message = GetString(document.RootElement, "message") ?? GetString(document.RootElement, "Message") ?? GetString(document.RootElement, "errorMessage");
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (e.g. an HTML page from a proxy or load balancer): fall back to the HTTP status below.
        }

        var status = response.StatusCode;
        code = string.IsNullOrEmpty(code) ? FallbackCode(status) : code;
        message ??= response.ReasonPhrase;
        var throttled = status == HttpStatusCode.TooManyRequests || AwsBatchErrorCodes.IsThrottling(code);
        var serverSide = (int)status >= 500;
        return new AwsBatchException(operation, code, message, status, GetRequestId(response), HintFor(code), innerException: null)
        {
            IsRetryable = throttled || serverSide,

            // A throttled request was rejected before processing; a 5xx may have done the work.
            IsAmbiguous = serverSide && !throttled,
        };
    }

    public static AwsBatchException CredentialsUnavailable(string operation, Exception cause)
    {
        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE");
        var hint = string.IsNullOrEmpty(profile)
            ? SetCredentialsHint
            : $"AWS_PROFILE is '{profile}': check that the profile exists in ~/.aws/config or ~/.aws/credentials (run 'aws sso login --profile {profile}' for SSO); or unset it and {char.ToLowerInvariant(SetCredentialsHint[0])}{SetCredentialsHint[1..]}";
        return new AwsBatchException(operation, AwsBatchErrorCodes.CredentialsNotFound, "no usable AWS credentials were found", null, null, hint, cause);
    }

    public static AwsBatchException Network(string operation, Uri uri, Exception cause, bool ambiguous)
        => new(operation, AwsBatchErrorCodes.NetworkError, $"could not complete the request to {uri.GetLeftPart(UriPartial.Authority)}: {Innermost(cause).Message}", null, null, null, cause)
        {
            IsRetryable = true,
            IsAmbiguous = ambiguous,
        };

    public static AwsBatchException Timeout(string operation, Uri uri, TimeSpan timeout, Exception cause)
        => new(operation, AwsBatchErrorCodes.RequestTimeout, $"no response from {uri.GetLeftPart(UriPartial.Authority)} within {timeout.TotalSeconds:0.###} s (OrleansBatch:Batch:AttemptTimeout)", null, null, null, cause)
        {
            IsRetryable = true,
            IsAmbiguous = true,
        };

    public static AwsBatchException InvalidResponse(string operation, HttpResponseMessage response, Exception cause)
        => new(operation, AwsBatchErrorCodes.InvalidResponse, $"the response could not be read: {cause.Message}", response.StatusCode, GetRequestId(response), null, cause);

    public static AwsBatchException RegionNotConfigured(string operation)
        => new(operation, AwsBatchErrorCodes.RegionNotConfigured, "no AWS region is configured", null, null,
            $"Set {AwsBatchClientOptions.SectionName}:Region, AWS_REGION or AWS_DEFAULT_REGION, or 'region' in the AWS profile", null);

    public static AwsBatchException InvalidRegion(string operation, string region, string source, Exception? cause = null)
        => new(operation, AwsBatchErrorCodes.InvalidRegion, $"the region '{region}' from {source} is not a valid AWS region name", null, null,
            $"Set {source} to a region such as 'us-east-1'", cause);

    public static AwsBatchException SubmitJobOutcomeUnknown(string jobName, AwsBatchException lookupFailure)
        => new("SubmitJob", AwsBatchErrorCodes.SubmitJobOutcomeUnknown,
            $"the response for job '{jobName}' was lost and the ListJobs look-up that guards against a duplicate failed ({lookupFailure.Message}); the job may or may not exist",
            null, null, null, lookupFailure);

    private static string? HintFor(string code) => code switch
    {
        AwsBatchErrorCodes.ExpiredTokenException or "ExpiredToken" or "RequestExpired"
            => "Refresh the AWS credentials: run 'aws sso login' for an SSO profile, or set fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN",
        AwsBatchErrorCodes.UnrecognizedClientException or "InvalidClientTokenId"
            => "Check AWS_ACCESS_KEY_ID (or the keys of the profile in AWS_PROFILE): the access key is not valid for this account and partition",
        AwsBatchErrorCodes.InvalidSignatureException or "SignatureDoesNotMatch" or "IncompleteSignatureException" or "MissingAuthenticationTokenException"
            => "Check AWS_SECRET_ACCESS_KEY (or the profile in AWS_PROFILE) and that the system clock is correct",
        _ => null,
    };

    private static string? TrimErrorType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // "ClientException:http://internal.amazon.com/coral/..." in the header, "aws.batch#ClientException" in bodies.
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            value = value[..colon];
        }

        var hash = value.LastIndexOf('#');
        return (hash >= 0 ? value[(hash + 1)..] : value).Trim();
    }

    private static string FallbackCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => AwsBatchErrorCodes.TooManyRequestsException,
        >= HttpStatusCode.InternalServerError => AwsBatchErrorCodes.ServerException,
        _ => $"Http{(int)status}",
    };

    private static string? GetString(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? GetRequestId(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-amzn-RequestId", out var ids) || response.Headers.TryGetValues("x-amz-request-id", out ids)
            ? ids.FirstOrDefault()
            : null;

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
