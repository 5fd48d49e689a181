using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The lifecycle status of a compute environment (model shape <c>CEStatus</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<ComputeEnvironmentStatus>))]
internal enum ComputeEnvironmentStatus
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

    /// <summary>Usable.</summary>
    [JsonStringEnumMemberName("VALID")]
    Valid,

    /// <summary>Not usable; statusReason says why (a missing role, a bad subnet or launch template).</summary>
    [JsonStringEnumMemberName("INVALID")]
    Invalid,
}
