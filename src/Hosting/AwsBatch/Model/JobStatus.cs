using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The status of an AWS Batch job (model shape <c>JobStatus</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<JobStatus>))]
internal enum JobStatus
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Accepted by the queue, not yet evaluated by the scheduler.</summary>
    [JsonStringEnumMemberName("SUBMITTED")]
    Submitted,

    /// <summary>Waiting on dependencies.</summary>
    [JsonStringEnumMemberName("PENDING")]
    Pending,

    /// <summary>Ready to run, waiting for compute capacity.</summary>
    [JsonStringEnumMemberName("RUNNABLE")]
    Runnable,

    /// <summary>Placed on a host; the container is being started.</summary>
    [JsonStringEnumMemberName("STARTING")]
    Starting,

    /// <summary>The container is running.</summary>
    [JsonStringEnumMemberName("RUNNING")]
    Running,

    /// <summary>Finished with exit code 0 (terminal).</summary>
    [JsonStringEnumMemberName("SUCCEEDED")]
    Succeeded,

    /// <summary>Failed, was terminated or cancelled (terminal).</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed,
}
