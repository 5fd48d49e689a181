using System.Globalization;
using System.Net;
using Polly;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>
/// Reads the EC2 instance metadata service the IMDSv2 way (a session token from <c>PUT /latest/api/token</c>, then
/// <c>GET /latest/meta-data/…</c> with that token): the instance's private IPv4 address, and Spot interruption notices.
/// </summary>
/// <remarks>
/// AWSSDK.Core's <c>Amazon.Util.EC2InstanceMetadata</c> is not used for the requests: it is static, caches
/// results process-wide, waits five seconds per attempt with blocking retries, and cannot be cancelled or given an
/// <see cref="HttpClient"/>. Its endpoint resolution and its <c>AWS_EC2_METADATA_DISABLED</c> switch are used.
/// </remarks>
internal sealed class Ec2InstanceMetadataClient(HttpClient httpClient, ResiliencePipeline pipeline)
{
    public const string TokenPath = "latest/api/token";
    public const string LocalIPv4Path = "latest/meta-data/local-ipv4";
    public const string SpotInstanceActionPath = "latest/meta-data/spot/instance-action";
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    public const string TokenHeader = "X-aws-ec2-metadata-token";

    // The token is used for one request, right away.
    private const int TokenTtlSeconds = 60;

    /// <summary>Gets the instance's private IPv4 address, as the service wrote it.</summary>
    /// <exception cref="HttpRequestException">The service failed, refused (403: IMDS is off) or answered with an error status.</exception>
    /// <exception cref="Polly.Timeout.TimeoutRejectedException">The service did not answer in time.</exception>
    public async Task<string> GetLocalIPv4Async(Uri endpoint, CancellationToken cancellationToken) =>
        await GetAsync(endpoint, LocalIPv4Path, notFoundIsNull: false, cancellationToken).ConfigureAwait(false)
        ?? throw new HttpRequestException("local-ipv4 is missing", null, HttpStatusCode.NotFound);

    /// <summary>
    /// Gets the Spot interruption notice (<c>spot/instance-action</c>, a JSON document with the action and its time), or
    /// null while there is none (the service answers 404 until EC2 gives notice).
    /// </summary>
    public Task<string?> GetSpotInstanceActionAsync(Uri endpoint, CancellationToken cancellationToken) =>
        GetAsync(endpoint, SpotInstanceActionPath, notFoundIsNull: true, cancellationToken);

    private async Task<string?> GetAsync(Uri endpoint, string path, bool notFoundIsNull, CancellationToken cancellationToken)
    {
        var baseUri = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        var token = await GetTokenAsync(new Uri(baseUri, TokenPath), cancellationToken).ConfigureAwait(false);
        return await pipeline.ExecuteAsync(
            static async (state, cancellation) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, state.Uri);
                if (state.Token is not null)
                {
                    request.Headers.Add(TokenHeader, state.Token);
                }

                using var response = await state.Client.SendAsync(request, cancellation).ConfigureAwait(false);
                if (state.NotFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false)).Trim();
            },
            (Client: httpClient, Uri: new Uri(baseUri, path), Token: token, NotFoundIsNull: notFoundIsNull),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets an IMDSv2 token; <see langword="null"/> when the service predates tokens (IMDSv1 only).</summary>
    private async Task<string?> GetTokenAsync(Uri tokenUri, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, cancellation) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, state.Uri);
                request.Headers.Add(TokenTtlHeader, TokenTtlSeconds.ToString(CultureInfo.InvariantCulture));
                using var response = await state.Client.SendAsync(request, cancellation).ConfigureAwait(false);

                // Like the AWS SDKs: a service without the token API answers 404 or 405, and is asked without one.
                // 403 means IMDS is turned off for this instance: that is a failure, not a reason to try IMDSv1.
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                {
                    return null;
                }

                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false)).Trim();
            },
            (Client: httpClient, Uri: tokenUri),
            cancellationToken).ConfigureAwait(false);
}
