using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>What a managed compute environment launches (model shape <c>CRType</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<ComputeResourceType>))]
internal enum ComputeResourceType
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>On-Demand EC2 instances.</summary>
    [JsonStringEnumMemberName("EC2")]
    Ec2,

    /// <summary>EC2 Spot instances.</summary>
    [JsonStringEnumMemberName("SPOT")]
    Spot,

    /// <summary>Fargate tasks.</summary>
    [JsonStringEnumMemberName("FARGATE")]
    Fargate,

    /// <summary>Fargate Spot tasks.</summary>
    [JsonStringEnumMemberName("FARGATE_SPOT")]
    FargateSpot,
}
