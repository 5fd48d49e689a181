namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A network interface of a job's container, set with <c>awsvpc</c> networking (model shape <c>NetworkInterface</c>).</summary>
internal sealed class NetworkInterface
{
    /// <summary>The attachment id (<c>attachmentId</c>).</summary>
    public string? AttachmentId { get; init; }

    /// <summary>The IPv6 address (<c>ipv6Address</c>).</summary>
    public string? Ipv6Address { get; init; }

    /// <summary>The private IPv4 address (<c>privateIpv4Address</c>).</summary>
    public string? PrivateIpv4Address { get; init; }
}
