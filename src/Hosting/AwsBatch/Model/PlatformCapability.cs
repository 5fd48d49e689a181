using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Where the jobs of a job definition can run (model shape <c>PlatformCapability</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<PlatformCapability>))]
internal enum PlatformCapability
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Amazon EC2 compute environments (the default).</summary>
    [JsonStringEnumMemberName("EC2")]
    Ec2,

    /// <summary>AWS Fargate compute environments.</summary>
    [JsonStringEnumMemberName("FARGATE")]
    Fargate,
}
