using Amazon;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// Resolves, once, where the client sends requests and with which credentials, and builds the HTTP handler chain:
/// <see cref="SigV4SigningHandler"/> over a <see cref="SocketsHttpHandler"/> without automatic redirects (a followed
/// redirect would not be re-signed). Resolution is lazy so configuration errors surface on the first call, as an
/// <see cref="AwsBatchException"/> naming the operation; a failure is not cached, so fixing the environment helps.
/// </summary>
internal sealed class AwsBatchConnection(AwsBatchClientOptions options, AwsRegionResolver regionResolver, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly AwsBatchCredentials _credentials = new(options.Credentials);
    private AwsBatchEndpoint? _endpoint;

    public AwsBatchClientOptions Options => options;

    /// <summary>The endpoint; resolves it (region chain, endpoint rules) on first use.</summary>
    public AwsBatchEndpoint GetEndpoint(string operation)
    {
        if (Volatile.Read(ref _endpoint) is { } endpoint)
        {
            return endpoint;
        }

        lock (_lock)
        {
            if (_endpoint is not null)
            {
                return _endpoint;
            }

            var region = regionResolver.Resolve(options, operation);
            try
            {
                endpoint = options.ServiceUrl is { } serviceUrl
                    ? AwsBatchEndpoint.ForServiceUrl(serviceUrl, region.Region)
                    : AwsBatchEndpoint.ForRegion(region.Region, options.UseFipsEndpoint, options.UseDualStackEndpoint);
            }
            catch (ArgumentException e)
            {
                // The options validator rejects malformed settings; what is left is a partition without FIPS/dual-stack.
                throw new AwsBatchException(operation, "InvalidConfiguration", e.Message, innerException: e);
            }

            AwsBatchClientLog.EndpointResolved(logger, endpoint.ServiceUri, endpoint.SigningRegion, region.Source);
            Volatile.Write(ref _endpoint, endpoint);
            return endpoint;
        }
    }

    /// <summary>The signing handler over <paramref name="transport"/>; call after <see cref="GetEndpoint"/> succeeded.</summary>
    public SigV4SigningHandler CreateSigningHandler(HttpMessageHandler transport)
    {
        var endpoint = Volatile.Read(ref _endpoint) ?? GetEndpoint("CreateHttpClient");
        return new SigV4SigningHandler(_credentials, RegionEndpoint.GetBySystemName(endpoint.SigningRegion), AwsBatchEndpoint.SigningName, transport);
    }

    /// <summary>The transport: pooled connections recycled every few minutes (DNS changes), redirects not followed.</summary>
    public static SocketsHttpHandler CreateTransport() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };
}
