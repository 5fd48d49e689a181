using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Orleans.Batch.Hosting.Diagnostics.Internal;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>Creates DynamoDB clients for <see cref="DynamoDBMembershipOptions"/>.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Endpoint: <see cref="DynamoDBMembershipOptions.ServiceUrl"/> when set (DynamoDB Local), else
/// the regional endpoint of <see cref="DynamoDBMembershipOptions.Region"/> or of the SDK's region chain
/// (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, profile).</description></item>
/// <item><description>Credentials: the SDK's default credential chain, resolved by the client when it needs them.
/// When <see cref="DynamoDBMembershipOptions.ServiceUrl"/> is a loopback address and the chain finds nothing, fixed
/// dummy credentials are used: DynamoDB Local accepts any.</description></item>
/// </list>
/// </remarks>
internal static class DynamoDBClientFactory
{
    /// <summary>The signing region used with a <see cref="DynamoDBMembershipOptions.ServiceUrl"/> when no region is known.</summary>
    public const string DefaultLocalRegion = "us-east-1";

    /// <summary>
    /// The access key of the dummy credentials used for DynamoDB Local on a loopback address (letters only: DynamoDB
    /// Local rejects other characters).
    /// </summary>
    public const string LocalAccessKey = "DynamoDBLocal";

    private static readonly DefaultAWSCredentialsIdentityResolver CredentialsResolver = new();

    /// <summary>Creates a client; the caller owns (and disposes) it.</summary>
    /// <param name="options">The validated options.</param>
    /// <returns>A new DynamoDB client.</returns>
    /// <exception cref="InvalidOperationException">No region is configured and the SDK's region chain finds none.</exception>
    public static IAmazonDynamoDB Create(DynamoDBMembershipOptions options)
    {
        var config = CreateConfig(options);
        var client = ResolveLocalCredentials(options, config) is { } credentials
            ? new CapacityReportingDynamoDBClient(credentials, config)
            : new CapacityReportingDynamoDBClient(config);
        CountRequests(client);
        return client;
    }

    // Every request attempt, answered or failed, counts in orleans.batch.aws.requests, and the capacity it consumed in
    // orleans.batch.dynamodb.consumed_capacity (see OrleansBatchTelemetry): every request asks DynamoDB for its total.
    private static void CountRequests(AmazonDynamoDBClient client)
    {
        client.AfterResponseEvent += (_, e) =>
        {
            if (e is WebServiceResponseEventArgs answered)
            {
                var operation = OperationOf(answered.Request);
                ClusterTelemetry.AwsRequest(ClusterTelemetry.DynamoDBService, operation, "success", answered.Endpoint);
                if (ConsumedCapacityReport.Read(answered.Response) is { } consumed)
                {
                    ClusterTelemetry.DynamoDBCapacity(operation, consumed.Write, consumed.Units);
                }
            }
        };
        client.ExceptionEvent += (_, e) =>
        {
            if (e is WebServiceExceptionEventArgs failed)
            {
                var outcome = failed.Exception is AmazonServiceException service ? ClusterTelemetry.Outcome((int)service.StatusCode, service.ErrorCode) : "error";
                ClusterTelemetry.AwsRequest(ClusterTelemetry.DynamoDBService, OperationOf(failed.Request), outcome, failed.Endpoint);
            }
        };
    }

    private static string OperationOf(AmazonWebServiceRequest? request) =>
        request?.GetType().Name is { } name ? (name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name) : "Unknown";

    /// <summary>Creates the client configuration (endpoint and region) for <paramref name="options"/>.</summary>
    /// <param name="options">The validated options.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidOperationException">No region is configured and the SDK's region chain finds none.</exception>
    public static AmazonDynamoDBConfig CreateConfig(DynamoDBMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var region = string.IsNullOrWhiteSpace(options.Region) ? null : options.Region.Trim();
        var config = new AmazonDynamoDBConfig();
        if (options.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.AbsoluteUri;
            config.AuthenticationRegion = region ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? DefaultLocalRegion;
            return config;
        }

        config.RegionEndpoint = region is not null
            ? RegionEndpoint.GetBySystemName(region)
            : FallbackRegionFactory.GetRegionEndpoint()
              ?? throw new InvalidOperationException(
                  $"No AWS region for the DynamoDB membership table '{options.TableName}': set {DynamoDBMembershipOptions.SectionName}:{nameof(options.Region)}, " +
                  $"or AWS_REGION / AWS_DEFAULT_REGION, or a region in the AWS profile (or {DynamoDBMembershipOptions.SectionName}:{nameof(options.ServiceUrl)} for DynamoDB Local).");
        return config;
    }

    private static AWSCredentials? ResolveLocalCredentials(DynamoDBMembershipOptions options, AmazonDynamoDBConfig config)
    {
        if (options.ServiceUrl is not { IsLoopback: true })
        {
            // The client resolves (and refreshes) credentials from the default chain itself.
            return null;
        }

        try
        {
            return CredentialsResolver.ResolveIdentity(config);
        }
        catch (AmazonClientException)
        {
            return new BasicAWSCredentials(LocalAccessKey, LocalAccessKey);
        }
    }
}
