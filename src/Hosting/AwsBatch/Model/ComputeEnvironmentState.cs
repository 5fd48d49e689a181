using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Whether a compute environment takes jobs (model shape <c>CEState</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<ComputeEnvironmentState>))]
internal enum ComputeEnvironmentState
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>It runs jobs from its queues.</summary>
    [JsonStringEnumMemberName("ENABLED")]
    Enabled,

    /// <summary>It places no new jobs and scales in.</summary>
    [JsonStringEnumMemberName("DISABLED")]
    Disabled,
}
