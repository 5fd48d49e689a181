using System.Net;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>The address a silo advertises, and where it came from.</summary>
/// <param name="Address">The address to advertise (feed it to Orleans' <c>EndpointOptions.AdvertisedIPAddress</c>).</param>
/// <param name="Source">The source that produced <paramref name="Address"/>.</param>
/// <param name="Detail">
/// What the source said, for the start-up log line: the host name that was resolved, the network mode, the
/// metadata endpoint or the interface name.
/// </param>
internal sealed record SiloAddressResolution(IPAddress Address, SiloAddressSource Source, string Detail)
{
    /// <summary>Describes the resolution in one line, for example <c>10.0.1.5 (NetworkInterface: eth0)</c>.</summary>
    public override string ToString() => $"{Address} ({Source}: {Detail})";
}
