namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>
/// Options that decide which IP address a silo advertises to the rest of the cluster.
/// Bound from the <c>OrleansBatch:Silo</c> configuration section
/// (environment: <c>OrleansBatch__Silo__...</c>).
/// </summary>
/// <remarks>
/// <para>The address comes from the first of these sources that yields one:</para>
/// <list type="number">
///   <item><description><see cref="AdvertisedAddress"/>, when set.</description></item>
///   <item><description>The ECS task metadata endpoint v4, when the task uses <c>awsvpc</c> networking
///   (Fargate, multi-node parallel jobs).</description></item>
///   <item><description>The EC2 instance metadata private IPv4 address (host networking, the AWS Batch on EC2
///   default).</description></item>
///   <item><description>The best local network interface address; <c>127.0.0.1</c> when there is none.</description></item>
/// </list>
/// </remarks>
public sealed class SiloAddressOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "OrleansBatch:Silo";

    /// <summary>The default for <see cref="MetadataRequestTimeout"/>: one second.</summary>
    public static readonly TimeSpan DefaultMetadataRequestTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The default for <see cref="MetadataRetryCount"/>: two retries.</summary>
    public const int DefaultMetadataRetryCount = 2;

    /// <summary>
    /// An explicit address to advertise, overriding every other source
    /// (<c>OrleansBatch:Silo:AdvertisedAddress</c>). Default: <see langword="null"/> (discover it).
    /// </summary>
    /// <remarks>
    /// An IPv4 or IPv6 literal is used as is. A host name is resolved through DNS once, at start, and its first
    /// IPv4 address is used (its first IPv6 address when it has no IPv4 one); a name that does not resolve fails
    /// the start rather than silently advertising something else.
    /// </remarks>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Whether to ask the ECS task metadata endpoint v4 for the task's own (awsvpc) address
    /// (<c>OrleansBatch:Silo:UseEcsTaskMetadata</c>). Default: <see langword="true"/>. The endpoint is only
    /// contacted when one is known: <see cref="EcsContainerMetadataUri"/> or the
    /// <c>ECS_CONTAINER_METADATA_URI_V4</c> environment variable the ECS agent sets in every container.
    /// </summary>
    public bool UseEcsTaskMetadata { get; set; } = true;

    /// <summary>
    /// The container metadata URI of the ECS task metadata endpoint v4
    /// (<c>OrleansBatch:Silo:EcsContainerMetadataUri</c>). Default: <see langword="null"/>, meaning the value of the
    /// <c>ECS_CONTAINER_METADATA_URI_V4</c> environment variable.
    /// </summary>
    public Uri? EcsContainerMetadataUri { get; set; }

    /// <summary>
    /// When to ask the EC2 instance metadata service (IMDS) for the instance's private IPv4 address
    /// (<c>OrleansBatch:Silo:Ec2InstanceMetadata</c>). Default: <see cref="Ec2InstanceMetadataMode.Auto"/>.
    /// </summary>
    /// <remarks>
    /// <c>AWS_EC2_METADATA_DISABLED=true</c> turns the lookup off whatever this says, as it does for the AWS SDK.
    /// </remarks>
    public Ec2InstanceMetadataMode Ec2InstanceMetadata { get; set; } = Ec2InstanceMetadataMode.Auto;

    /// <summary>
    /// The base address of the EC2 instance metadata service (<c>OrleansBatch:Silo:Ec2InstanceMetadataEndpoint</c>).
    /// Default: <see langword="null"/>, meaning the AWS SDK's setting: the <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>
    /// environment variable, then the profile's <c>ec2_metadata_service_endpoint</c> (or endpoint mode), then
    /// <c>http://169.254.169.254</c>.
    /// </summary>
    public Uri? Ec2InstanceMetadataEndpoint { get; set; }

    /// <summary>
    /// How long one request to a metadata endpoint may take (<c>OrleansBatch:Silo:MetadataRequestTimeout</c>).
    /// Default: one second (<see cref="DefaultMetadataRequestTimeout"/>), like the AWS SDKs' own IMDS timeout: both
    /// endpoints are link-local and answer in milliseconds, and a machine without them must not wait long.
    /// A request that times out is not retried.
    /// </summary>
    public TimeSpan MetadataRequestTimeout { get; set; } = DefaultMetadataRequestTimeout;

    /// <summary>
    /// How many times a metadata request is retried after a transient failure (a refused connection, HTTP 429 or
    /// 5xx) (<c>OrleansBatch:Silo:MetadataRetryCount</c>). Default: 2 (<see cref="DefaultMetadataRetryCount"/>),
    /// with exponential back-off from 100 ms.
    /// </summary>
    public int MetadataRetryCount { get; set; } = DefaultMetadataRetryCount;

    /// <summary>
    /// Restricts the network interface choice (the last source) to the interface with this name, such as
    /// <c>eth1</c> (<c>OrleansBatch:Silo:NetworkInterfaceName</c>). Default: <see langword="null"/> (choose among all).
    /// When the named interface has no usable address the start fails instead of falling back.
    /// </summary>
    public string? NetworkInterfaceName { get; set; }
}
