using Amazon.Runtime;
using Amazon.Util;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// The region chain: the configured region, then <c>AWS_DEFAULT_REGION</c> when <c>AWS_REGION</c> is unset (the
/// AWS CLI honours it; the .NET SDK's chain does not), then the SDK's <see cref="FallbackRegionFactory"/>
/// (<c>AWS_REGION</c>, profile, instance metadata), then, for an explicit service URL, the region in its host name.
/// </summary>
internal sealed class AwsRegionResolver(Func<string, string?> getEnvironmentVariable, Func<string?> sdkRegionChain)
{
    public const string AwsRegionVariable = "AWS_REGION";
    public const string AwsDefaultRegionVariable = "AWS_DEFAULT_REGION";

    /// <summary>The process environment and the SDK's region chain.</summary>
    public static AwsRegionResolver Default { get; } = new(Environment.GetEnvironmentVariable, static () => FallbackRegionFactory.GetRegionEndpoint()?.SystemName);

    /// <summary>Resolves the region, or throws <see cref="AwsBatchException"/> naming the setting to fix.</summary>
    public ResolvedRegion Resolve(AwsBatchClientOptions options, string operation)
        => Resolve(options.Region, AwsBatchClientOptions.SectionName + ":Region", options.ServiceUrl, operation);

    /// <summary>
    /// Resolves the region of any AWS client (the CloudWatch Logs client shares this chain): the configured region,
    /// named <paramref name="regionSetting"/> in errors, then the environment and the SDK's chain, then the service URL.
    /// </summary>
    public ResolvedRegion Resolve(string? configuredRegion, string regionSetting, string? serviceUrl, string operation)
    {
        if (!string.IsNullOrWhiteSpace(configuredRegion))
        {
            return Checked(configuredRegion.Trim(), regionSetting, operation);
        }

        var defaultRegion = getEnvironmentVariable(AwsDefaultRegionVariable);
        if (string.IsNullOrWhiteSpace(getEnvironmentVariable(AwsRegionVariable)) && !string.IsNullOrWhiteSpace(defaultRegion))
        {
            return Checked(defaultRegion.Trim(), AwsDefaultRegionVariable, operation);
        }

        string? chainRegion;
        try
        {
            chainRegion = sdkRegionChain();
        }
        catch (Exception e) when (e is AmazonClientException or ArgumentException or InvalidOperationException)
        {
            var fromVariable = getEnvironmentVariable(AwsRegionVariable);
            throw AwsBatchErrors.InvalidRegion(operation, fromVariable ?? "?", fromVariable is null ? "the AWS profile" : AwsRegionVariable, e);
        }

        if (!string.IsNullOrWhiteSpace(chainRegion))
        {
            return Checked(chainRegion, "the AWS SDK region chain (AWS_REGION, profile, instance metadata)", operation);
        }

        if (serviceUrl is not null && AwsBatchEndpoint.TryParseServiceUrl(serviceUrl, out var serviceUri))
        {
            // Like the SDK for a ServiceURL: a VPC endpoint host names its region; anything else signs for us-east-1.
            var fromUrl = AWSSDKUtils.DetermineRegion(serviceUri.ToString());
            return new ResolvedRegion(AwsBatchEndpoint.IsValidRegionName(fromUrl) ? fromUrl : "us-east-1", "the service URL (no region configured)");
        }

        throw AwsBatchErrors.RegionNotConfigured(operation);
    }

    private static ResolvedRegion Checked(string region, string source, string operation)
        => AwsBatchEndpoint.IsValidRegionName(region) ? new ResolvedRegion(region, source) : throw AwsBatchErrors.InvalidRegion(operation, region, source);
}

/// <summary>A resolved region and where it came from (for logs and error messages).</summary>
internal sealed record ResolvedRegion(string Region, string Source);
