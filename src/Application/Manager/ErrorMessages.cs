using System.Net.Http;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.AwsBatch;

namespace Orleans.Batch.Application.Manager;

/// <summary>Turns the errors a manager run can meet into one line for the user.</summary>
internal static class ErrorMessages
{
    public static string Describe(Exception exception) => exception switch
    {
        AwsBatchException batch => batch.Message,
        AmazonServiceException service => $"DynamoDB: {service.ErrorCode}: {FirstLine(service.Message)}{CredentialsHint(service.ErrorCode)}",
        AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            $"AWS credentials: {FirstLine(client.Message)} (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an IAM role applies)",
        AmazonClientException client => $"AWS: {FirstLine(client.Message)}{Inner(client)}",
        HttpRequestException http => $"cannot reach the service: {FirstLine(http.Message)}{Inner(http)}",
        OptionsValidationException options => string.Join(" ", options.Failures),
        _ => FirstLine(exception.Message) + Inner(exception),
    };

    private static string CredentialsHint(string? errorCode) =>
        errorCode is "ExpiredTokenException" or "UnrecognizedClientException" or "InvalidSignatureException" or "MissingAuthenticationTokenException"
            ? " (refresh the credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN or AWS_PROFILE)"
            : string.Empty;

    private static string Inner(Exception exception) =>
        exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $" ({FirstLine(inner.Message)})"
            : string.Empty;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
