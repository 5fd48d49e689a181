using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Whether a job queue accepts jobs (model shape <c>JQState</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<JobQueueState>))]
internal enum JobQueueState
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>The queue accepts and schedules jobs.</summary>
    [JsonStringEnumMemberName("ENABLED")]
    Enabled,

    /// <summary>The queue accepts no new jobs; queued jobs still finish.</summary>
    [JsonStringEnumMemberName("DISABLED")]
    Disabled,
}
