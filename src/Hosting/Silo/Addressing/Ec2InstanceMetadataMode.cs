namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>When the EC2 instance metadata service is asked for the silo's address.</summary>
public enum Ec2InstanceMetadataMode
{
    /// <summary>
    /// Ask it only where it is expected to answer: when the process runs in an AWS Batch job or an ECS task
    /// (<c>AWS_BATCH_JOB_ID</c>, <c>ECS_CONTAINER_METADATA_URI_V4</c>, <c>ECS_CONTAINER_METADATA_URI</c> or an
    /// <c>AWS_EXECUTION_ENV</c> of <c>AWS_ECS_*</c> is set), or when an endpoint is configured explicitly
    /// (<see cref="SiloAddressOptions.Ec2InstanceMetadataEndpoint"/> or <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>).
    /// A developer machine is never made to wait for a metadata service it does not have.
    /// </summary>
    Auto = 0,

    /// <summary>Always ask it, for example for a silo running directly on an EC2 instance.</summary>
    Enabled = 1,

    /// <summary>Never ask it.</summary>
    Disabled = 2,
}
