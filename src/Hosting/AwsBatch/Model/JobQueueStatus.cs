using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The lifecycle status of a job queue (model shape <c>JQStatus</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<JobQueueStatus>))]
internal enum JobQueueStatus
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Being created.</summary>
    [JsonStringEnumMemberName("CREATING")]
    Creating,

    /// <summary>Being updated.</summary>
    [JsonStringEnumMemberName("UPDATING")]
    Updating,

    /// <summary>Being deleted.</summary>
    [JsonStringEnumMemberName("DELETING")]
    Deleting,

    /// <summary>Deleted.</summary>
    [JsonStringEnumMemberName("DELETED")]
    Deleted,

    /// <summary>Healthy and usable.</summary>
    [JsonStringEnumMemberName("VALID")]
    Valid,

    /// <summary>Misconfigured; see the status reason.</summary>
    [JsonStringEnumMemberName("INVALID")]
    Invalid,
}
