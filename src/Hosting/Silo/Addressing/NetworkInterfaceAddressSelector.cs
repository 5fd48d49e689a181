using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>
/// Chooses the address other hosts are most likely to reach among the machine's interfaces: an IPv4 unicast
/// address on an interface that is up, not loopback, not link-local, and not a container or VM bridge; an
/// interface with a gateway first. Ties break by interface name, then by address, so the same interfaces always
/// give the same answer whatever order the system lists them in.
/// </summary>
internal static class NetworkInterfaceAddressSelector
{
    /// <summary>
    /// Name prefixes of interfaces that only reach containers or virtual machines on this host: Docker and Podman
    /// bridges and their veth ends, the ECS awsvpc bridge, CNI plugins (Flannel, Calico, Weave, Cilium, ...), and
    /// libvirt, LXC, VirtualBox and VMware host-only networks.
    /// </summary>
    public static IReadOnlyList<string> ExcludedNamePrefixes { get; } =
    [
        "docker", "br-", "veth", "podman", "ecs-bridge", "cni", "flannel", "cali", "tunl", "weave", "vxlan",
        "cilium", "kube-", "virbr", "lxc", "vboxnet", "vmnet",
    ];

    /// <summary>Chooses an interface address, or returns <see langword="null"/> when none is usable.</summary>
    /// <param name="interfaces">The interfaces to choose from.</param>
    /// <param name="interfaceName">Only consider this interface (then even an otherwise excluded one), when set.</param>
    public static (NetworkInterfaceSnapshot Interface, IPAddress Address)? Select(
        IEnumerable<NetworkInterfaceSnapshot> interfaces, string? interfaceName)
    {
        ArgumentNullException.ThrowIfNull(interfaces);

        var best = interfaces
            .Where(i => interfaceName is null ? IsCandidateInterface(i) : IsNamedInterfaceUsable(i, interfaceName))
            .SelectMany(i => i.UnicastAddresses.Where(IsCandidateAddress).Select(a => (Interface: i, Address: a)))
            .OrderByDescending(c => HasGateway(c.Interface))
            .ThenBy(c => c.Interface.Status == OperationalStatus.Up ? 0 : 1)
            .ThenBy(c => c.Interface.Name, StringComparer.Ordinal)
            .ThenBy(c => SortKey(c.Address))
            .FirstOrDefault();

        return best.Interface is null ? null : best;
    }

    private static bool IsCandidateInterface(NetworkInterfaceSnapshot networkInterface) =>
        IsUp(networkInterface) && !networkInterface.IsLoopback && !IsExcludedName(networkInterface.Name);

    private static bool IsNamedInterfaceUsable(NetworkInterfaceSnapshot networkInterface, string interfaceName) =>
        string.Equals(networkInterface.Name, interfaceName, StringComparison.Ordinal) && IsUp(networkInterface);

    // Linux reports "unknown" for some working virtual interfaces (tun devices, some hypervisor NICs).
    private static bool IsUp(NetworkInterfaceSnapshot networkInterface) =>
        networkInterface.Status is OperationalStatus.Up or OperationalStatus.Unknown;

    internal static bool IsExcludedName(string name) =>
        ExcludedNamePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    internal static bool IsCandidateAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork
        && !IPAddress.IsLoopback(address)
        && !IsIPv4LinkLocal(address)
        && address.GetAddressBytes()[0] != 0
        && SiloAddressOptionsValidator.IsAdvertisable(address);

    // 169.254.0.0/16: ECS and EC2 metadata, APIPA; never reachable from another host.
    internal static bool IsIPv4LinkLocal(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 && bytes[0] == 169 && bytes[1] == 254;
    }

    private static bool HasGateway(NetworkInterfaceSnapshot networkInterface) =>
        networkInterface.GatewayAddresses.Any(static g =>
            g.AddressFamily == AddressFamily.InterNetwork && !g.Equals(IPAddress.Any));

    private static uint SortKey(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
