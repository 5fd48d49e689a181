using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>What to do when an <see cref="EvaluateOnExit"/> condition matches (model shape <c>RetryAction</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<RetryAction>))]
internal enum RetryAction
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Retry the job (within the attempts of the retry strategy).</summary>
    [JsonStringEnumMemberName("RETRY")]
    Retry,

    /// <summary>Do not retry; the job fails.</summary>
    [JsonStringEnumMemberName("EXIT")]
    Exit,
}
