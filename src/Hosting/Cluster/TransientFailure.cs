using System.Net;
using Amazon.Runtime;
using Orleans.Batch.Hosting.AwsBatch;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Tells a passing failure (throttling, a 5xx, a dropped connection) from one that retrying cannot fix.</summary>
internal static class TransientFailure
{
    // DynamoDB's own "slow down" codes; the generic AWS ones are AwsBatchErrorCodes.IsThrottling's.
    private static readonly HashSet<string> DynamoDBBusyCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "TransactionInProgressException",
    };

    /// <summary>True when <paramref name="exception"/> may well not happen on the next try.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        AwsBatchException batch => batch.IsRetryable,
        AmazonServiceException service => (int)service.StatusCode >= 500 || service.StatusCode == HttpStatusCode.TooManyRequests
            || (service.ErrorCode is { } code && (AwsBatchErrorCodes.IsThrottling(code) || DynamoDBBusyCodes.Contains(code))) || service.InnerException is HttpRequestException or IOException,
        AmazonClientException client => client.InnerException is HttpRequestException or IOException or TimeoutException,
        HttpRequestException or TimeoutException or IOException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };
}
