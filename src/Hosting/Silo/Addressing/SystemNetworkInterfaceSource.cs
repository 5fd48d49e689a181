using System.Net;
using System.Net.NetworkInformation;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Lists the machine's real network interfaces through <see cref="NetworkInterface"/>.</summary>
internal sealed class SystemNetworkInterfaceSource : INetworkInterfaceSource
{
    /// <inheritdoc />
    public IReadOnlyList<NetworkInterfaceSnapshot> GetInterfaces()
    {
        var snapshots = new List<NetworkInterfaceSnapshot>();
        foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
        {
            IPInterfaceProperties properties;
            try
            {
                properties = networkInterface.GetIPProperties();
            }
            catch (NetworkInformationException)
            {
                // An interface that vanished between listing and reading cannot be advertised anyway.
                continue;
            }

            snapshots.Add(new NetworkInterfaceSnapshot(
                networkInterface.Name,
                networkInterface.OperationalStatus,
                networkInterface.NetworkInterfaceType == NetworkInterfaceType.Loopback,
                [.. properties.UnicastAddresses.Select(static a => a.Address)],
                ReadGateways(properties)));
        }

        return snapshots;
    }

    private static IPAddress[] ReadGateways(IPInterfaceProperties properties)
    {
        try
        {
            return [.. properties.GatewayAddresses.Select(static g => g.Address)];
        }
        catch (Exception exception) when (exception is NetworkInformationException or PlatformNotSupportedException)
        {
            // Without gateway information the choice still works; it only loses its preference.
            return [];
        }
    }
}
