using System.Net;
using System.Net.NetworkInformation;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>A fixed list of network interfaces.</summary>
internal sealed class FakeNetworkInterfaces(params NetworkInterfaceSnapshot[] interfaces) : INetworkInterfaceSource
{
    public IReadOnlyList<NetworkInterfaceSnapshot> GetInterfaces() => interfaces;

    public static NetworkInterfaceSnapshot Nic(
        string name,
        string[] addresses,
        string? gateway = null,
        OperationalStatus status = OperationalStatus.Up,
        bool isLoopback = false) =>
        new(name, status, isLoopback,
            [.. addresses.Select(IPAddress.Parse)],
            gateway is null ? [] : [IPAddress.Parse(gateway)]);

    public static NetworkInterfaceSnapshot Loopback() => Nic("lo", ["127.0.0.1", "::1"], status: OperationalStatus.Unknown, isLoopback: true);

    /// <summary>A typical EC2 host: loopback, the docker bridge, and eth0 with the default route.</summary>
    public static FakeNetworkInterfaces Ec2Host() => new(
        Loopback(),
        Nic("docker0", ["172.17.0.1"]),
        Nic("eth0", ["10.0.1.5"], gateway: "10.0.1.1"));
}

/// <summary>A source that cannot list interfaces at all.</summary>
internal sealed class FailingNetworkInterfaces : INetworkInterfaceSource
{
    public IReadOnlyList<NetworkInterfaceSnapshot> GetInterfaces() =>
        throw new NetworkInformationException(13);
}
