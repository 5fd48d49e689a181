using System.Text.Json;
using Polly;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Reads a container's own metadata from the ECS task metadata endpoint v4.</summary>
internal sealed class EcsTaskMetadataClient(HttpClient httpClient, ResiliencePipeline pipeline)
{
    /// <summary>Gets <c>${ECS_CONTAINER_METADATA_URI_V4}</c>: the metadata of the calling container.</summary>
    /// <exception cref="HttpRequestException">The endpoint failed or answered with an error status.</exception>
    /// <exception cref="JsonException">The endpoint answered with something that is not container metadata.</exception>
    /// <exception cref="Polly.Timeout.TimeoutRejectedException">The endpoint did not answer in time.</exception>
    public async Task<EcsContainerMetadata> GetContainerMetadataAsync(Uri containerMetadataUri, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, state.Uri);
                using var response = await state.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token)
                    .ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    return await JsonSerializer.DeserializeAsync(stream, EcsTaskMetadataJsonContext.Default.EcsContainerMetadata, token)
                            .ConfigureAwait(false)
                        ?? throw new JsonException("The task metadata endpoint answered 'null'.");
                }
            },
            (Client: httpClient, Uri: containerMetadataUri),
            cancellationToken).ConfigureAwait(false);
}
