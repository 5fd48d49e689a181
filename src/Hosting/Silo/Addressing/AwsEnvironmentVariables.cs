namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>The environment variables AWS sets (or the AWS SDKs read) that the address choice looks at.</summary>
internal static class AwsEnvironmentVariables
{
    /// <summary>Set by AWS Batch in every job container.</summary>
    public const string BatchJobId = AwsBatch.BatchJobEnvironment.JobIdVariable;

    /// <summary>Set by the ECS agent (and on Fargate) in every container: the task metadata endpoint v4.</summary>
    public const string EcsContainerMetadataUriV4 = "ECS_CONTAINER_METADATA_URI_V4";

    /// <summary>Set by older ECS agents: the task metadata endpoint v3.</summary>
    public const string EcsContainerMetadataUri = "ECS_CONTAINER_METADATA_URI";

    /// <summary>Set by ECS to <c>AWS_ECS_EC2</c> or <c>AWS_ECS_FARGATE</c>.</summary>
    public const string ExecutionEnvironment = "AWS_EXECUTION_ENV";

    /// <summary>The AWS SDKs' override of the EC2 instance metadata endpoint.</summary>
    public const string Ec2MetadataServiceEndpoint = "AWS_EC2_METADATA_SERVICE_ENDPOINT";

    /// <summary>The AWS SDKs' switch that turns EC2 instance metadata off (<c>true</c>).</summary>
    public const string Ec2MetadataDisabled = "AWS_EC2_METADATA_DISABLED";

    /// <summary>Whether this process runs in an AWS Batch job or an ECS task, judged by the variables AWS sets.</summary>
    public static bool RunsInBatchOrEcs() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BatchJobId))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EcsContainerMetadataUriV4))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EcsContainerMetadataUri))
        || (Environment.GetEnvironmentVariable(ExecutionEnvironment)?.StartsWith("AWS_ECS_", StringComparison.Ordinal) ?? false);
}
