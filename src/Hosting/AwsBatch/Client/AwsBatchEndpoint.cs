using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// Where AWS Batch requests go and which region they are signed for. <see cref="ForRegion"/> follows the service's
/// endpoint rule set (<c>endpoint-rule-set-1.json</c>): standard, FIPS and dual-stack hosts per partition (aws,
/// aws-cn, aws-us-gov, the ISO partitions, aws-eusc), using the AWS SDK's partition data.
/// </summary>
internal partial record AwsBatchEndpoint
{
    /// <summary>The SigV4 signing name of AWS Batch.</summary>
    public const string SigningName = "batch";

    private AwsBatchEndpoint(Uri serviceUri, string signingRegion)
    {
        ServiceUri = serviceUri;
        SigningRegion = signingRegion;
    }

    /// <summary>The base URI, ending in <c>/</c>; operations are posted to <c>v1/&lt;operation in lower case&gt;</c> below it.</summary>
    public Uri ServiceUri { get; }

    /// <summary>The region requests are signed for.</summary>
    public string SigningRegion { get; }

    /// <summary>The regional endpoint, as the rule set derives it.</summary>
    /// <param name="region">The region, e.g. <c>us-east-1</c> or <c>cn-north-1</c>.</param>
    /// <param name="useFips">Use the FIPS endpoint.</param>
    /// <param name="useDualStack">Use the dual-stack endpoint.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">The region is malformed, or its partition lacks FIPS or dual-stack.</exception>
    public static AwsBatchEndpoint ForRegion(string region, bool useFips = false, bool useDualStack = false)
    {
        if (!IsValidRegionName(region))
        {
            throw new ArgumentException($"'{region}' is not a valid AWS region name; expected a name such as 'us-east-1'.", nameof(region));
        }

        // aws.partition: the SDK's partitions data, matched by region name or the partition's region regex.
        var partition = Fn.Partition(region)
            ?? throw new ArgumentException($"No AWS partition is known for region '{region}'.", nameof(region));

        string host;
        if (useFips && useDualStack)
        {
            host = partition.supportsFIPS && partition.supportsDualStack
                ? $"batch-fips.{region}.{partition.dualStackDnsSuffix}"
                : throw new ArgumentException($"FIPS and dual-stack are enabled, but partition '{partition.name}' of region '{region}' does not support one or both.", nameof(useFips));
        }
        else if (useFips)
        {
            host = !partition.supportsFIPS
                ? throw new ArgumentException($"FIPS is enabled, but partition '{partition.name}' of region '{region}' does not support FIPS.", nameof(useFips))
                : partition.name switch
                {
                    "aws" => $"fips.batch.{region}.amazonaws.com",
                    "aws-us-gov" => $"batch.{region}.amazonaws.com",
                    _ => $"batch-fips.{region}.{partition.dnsSuffix}",
                };
        }
        else if (useDualStack)
        {
            host = partition.supportsDualStack
                ? $"batch.{region}.{partition.dualStackDnsSuffix}"
                : throw new ArgumentException($"Dual-stack is enabled, but partition '{partition.name}' of region '{region}' does not support dual-stack.", nameof(useDualStack));
        }
        else
        {
            host = $"batch.{region}.{partition.dnsSuffix}";
        }

        return new AwsBatchEndpoint(new Uri($"https://{host}/"), region);
    }

    /// <summary>An explicit endpoint (emulator, VPC endpoint, proxy), signed for <paramref name="signingRegion"/>.</summary>
    /// <param name="serviceUrl">An absolute http or https URL; a path is kept as a prefix.</param>
    /// <param name="signingRegion">The region to sign for.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">The URL or region is malformed.</exception>
    public static AwsBatchEndpoint ForServiceUrl(string serviceUrl, string signingRegion)
    {
        if (!TryParseServiceUrl(serviceUrl, out var uri))
        {
            throw new ArgumentException($"'{serviceUrl}' must be an absolute http:// or https:// URL without query or fragment.", nameof(serviceUrl));
        }

        if (!IsValidRegionName(signingRegion))
        {
            throw new ArgumentException($"'{signingRegion}' is not a valid AWS region name; expected a name such as 'us-east-1'.", nameof(signingRegion));
        }

        return new AwsBatchEndpoint(uri, signingRegion);
    }

    /// <summary>The DNS suffix of <paramref name="region"/>'s partition (<c>amazonaws.com</c>, <c>amazonaws.com.cn</c>, ...), from the SDK's partition data.</summary>
    /// <exception cref="ArgumentException">The region is malformed or in no known partition.</exception>
    internal static string PartitionDnsSuffix(string region)
    {
        if (!IsValidRegionName(region))
        {
            throw new ArgumentException($"'{region}' is not a valid AWS region name; expected a name such as 'us-east-1'.", nameof(region));
        }

        return Fn.Partition(region)?.dnsSuffix ?? throw new ArgumentException($"No AWS partition is known for region '{region}'.", nameof(region));
    }

    /// <summary>Whether <paramref name="region"/> is shaped like an AWS region name (a lower-case DNS label such as <c>us-east-1</c>).</summary>
    /// <param name="region">The candidate.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidRegionName([NotNullWhen(true)] string? region)
        => region is not null && RegionName().IsMatch(region);

    /// <summary>The URI an operation is posted to, e.g. <c>https://batch.us-east-1.amazonaws.com/v1/submitjob</c>.</summary>
    /// <param name="operation">The operation, e.g. <c>SubmitJob</c>.</param>
    /// <returns>The URI.</returns>
    public Uri GetOperationUri(string operation) => new(ServiceUri, "v1/" + operation.ToLowerInvariant());

    /// <inheritdoc />
    public override string ToString() => $"{ServiceUri} (signing region {SigningRegion})";

    internal static bool TryParseServiceUrl(string? serviceUrl, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(serviceUrl?.Trim(), UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(parsed.Query)
            || !string.IsNullOrEmpty(parsed.Fragment)
            || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }

        // A trailing slash makes "v1/op" resolve below any path prefix instead of replacing its last segment.
        uri = parsed.AbsolutePath.EndsWith('/') ? parsed : new Uri(parsed.GetLeftPart(UriPartial.Path) + "/");
        return true;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
