using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>
/// The part of the ECS task metadata endpoint v4 container response (<c>GET ${ECS_CONTAINER_METADATA_URI_V4}</c>)
/// the address choice reads. Other members of the response are ignored.
/// </summary>
internal sealed class EcsContainerMetadata
{
    [JsonPropertyName("Networks")]
    public List<EcsContainerNetwork?>? Networks { get; init; }
}

/// <summary>One entry of a container's <c>Networks</c>.</summary>
internal sealed class EcsContainerNetwork
{
    /// <summary><c>awsvpc</c>, <c>host</c>, <c>bridge</c>, <c>none</c> (or <c>default</c>/<c>nat</c> on Windows).</summary>
    [JsonPropertyName("NetworkMode")]
    public string? NetworkMode { get; init; }

    [JsonPropertyName("IPv4Addresses")]
    public List<string?>? IPv4Addresses { get; init; }

    [JsonPropertyName("IPv6Addresses")]
    public List<string?>? IPv6Addresses { get; init; }

    /// <summary>The ENI's attachment index (awsvpc only); the primary ENI has the lowest.</summary>
    [JsonPropertyName("AttachmentIndex")]
    public int? AttachmentIndex { get; init; }
}

[JsonSerializable(typeof(EcsContainerMetadata))]
internal sealed partial class EcsTaskMetadataJsonContext : JsonSerializerContext;
