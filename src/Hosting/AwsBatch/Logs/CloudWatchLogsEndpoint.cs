namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>Where CloudWatch Logs requests go (JSON 1.1: <c>POST /</c>) and which region they are signed for.</summary>
/// <param name="ServiceUri">The endpoint, ending in <c>/</c>.</param>
/// <param name="SigningRegion">The region requests are signed for.</param>
internal sealed record CloudWatchLogsEndpoint(Uri ServiceUri, string SigningRegion)
{
    /// <summary>The SigV4 signing name of CloudWatch Logs.</summary>
    public const string SigningName = "logs";

    /// <summary>The regional endpoint, <c>https://logs.{region}.{partition DNS suffix}</c>.</summary>
    /// <param name="region">The region, e.g. <c>us-east-1</c>.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">The region is malformed or in no known partition.</exception>
    public static CloudWatchLogsEndpoint ForRegion(string region)
        => new(new Uri($"https://logs.{region}.{AwsBatchEndpoint.PartitionDnsSuffix(region)}/"), region);

    /// <summary>An explicit endpoint (the emulator, a VPC endpoint), signed for <paramref name="signingRegion"/>.</summary>
    /// <param name="serviceUrl">An absolute http or https URL.</param>
    /// <param name="signingRegion">The region to sign for.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">The URL or region is malformed.</exception>
    public static CloudWatchLogsEndpoint ForServiceUrl(string serviceUrl, string signingRegion)
    {
        // The same URL and region rules as a Batch endpoint.
        var batch = AwsBatchEndpoint.ForServiceUrl(serviceUrl, signingRegion);
        return new CloudWatchLogsEndpoint(batch.ServiceUri, batch.SigningRegion);
    }

    /// <inheritdoc />
    public override string ToString() => $"{ServiceUri} (signing region {SigningRegion})";
}
