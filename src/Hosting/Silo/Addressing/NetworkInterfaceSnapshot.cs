using System.Net;
using System.Net.NetworkInformation;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>What the address choice needs to know about one network interface.</summary>
/// <param name="Name">The interface name, such as <c>eth0</c> or <c>docker0</c>.</param>
/// <param name="Status">Whether the interface is up.</param>
/// <param name="IsLoopback">Whether this is a loopback interface.</param>
/// <param name="UnicastAddresses">The interface's unicast addresses, in the order the system lists them.</param>
/// <param name="GatewayAddresses">
/// The gateways routed through this interface (on Linux, from the routing table); empty for an interface that
/// only reaches its own subnet, such as a container bridge.
/// </param>
internal sealed record NetworkInterfaceSnapshot(
    string Name,
    OperationalStatus Status,
    bool IsLoopback,
    IReadOnlyList<IPAddress> UnicastAddresses,
    IReadOnlyList<IPAddress> GatewayAddresses);
