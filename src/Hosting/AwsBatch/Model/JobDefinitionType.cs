using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The type of a job definition to register (model shape <c>JobDefinitionType</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<JobDefinitionType>))]
internal enum JobDefinitionType
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>A single-container job (also used for array jobs).</summary>
    [JsonStringEnumMemberName("container")]
    Container,

    /// <summary>A multi-node parallel job.</summary>
    [JsonStringEnumMemberName("multinode")]
    Multinode,
}
