namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Which source produced a silo's advertised address.</summary>
internal enum SiloAddressSource
{
    /// <summary>The explicit <see cref="SiloAddressOptions.AdvertisedAddress"/> setting.</summary>
    Explicit,

    /// <summary>The ECS task metadata endpoint v4 (the task's own awsvpc network interface).</summary>
    EcsTaskMetadata,

    /// <summary>The EC2 instance metadata service (the instance's private IPv4 address).</summary>
    Ec2InstanceMetadata,

    /// <summary>The best local network interface address.</summary>
    NetworkInterface,

    /// <summary>No usable source: <c>127.0.0.1</c>, reachable only from this machine.</summary>
    LoopbackFallback,
}
