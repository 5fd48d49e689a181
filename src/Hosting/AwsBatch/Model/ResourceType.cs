using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The kind of resource in a <see cref="ResourceRequirement"/> (model shape <c>ResourceType</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<ResourceType>))]
internal enum ResourceType
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Number of physical GPUs.</summary>
    [JsonStringEnumMemberName("GPU")]
    Gpu,

    /// <summary>Number of vCPUs (fractional values such as 0.25 are allowed on Fargate).</summary>
    [JsonStringEnumMemberName("VCPU")]
    Vcpu,

    /// <summary>Hard memory limit in MiB.</summary>
    [JsonStringEnumMemberName("MEMORY")]
    Memory,
}
