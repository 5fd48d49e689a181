using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Who manages a compute environment's instances (model shape <c>CEType</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<ComputeEnvironmentType>))]
internal enum ComputeEnvironmentType
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Batch launches and scales the instances.</summary>
    [JsonStringEnumMemberName("MANAGED")]
    Managed,

    /// <summary>You do.</summary>
    [JsonStringEnumMemberName("UNMANAGED")]
    Unmanaged,
}
