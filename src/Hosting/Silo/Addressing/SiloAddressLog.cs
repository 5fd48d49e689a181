using System.Net;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>The address resolver's log messages.</summary>
internal static partial class SiloAddressLog
{
    [LoggerMessage(EventId = 1, EventName = "SiloAddressResolved", Level = LogLevel.Information,
        Message = "Silo advertises {Address}, from {Source} ({Detail})")]
    public static partial void Resolved(ILogger logger, IPAddress address, SiloAddressSource source, string detail);

    [LoggerMessage(EventId = 2, EventName = "SiloAddressSourceSkipped", Level = LogLevel.Debug,
        Message = "{Source} not used: {Reason}")]
    public static partial void SourceSkipped(ILogger logger, SiloAddressSource source, string reason);

    [LoggerMessage(EventId = 3, EventName = "SiloAddressSourceFailed", Level = LogLevel.Warning,
        Message = "{Source} gave no address ({Endpoint}): {Reason}; trying the next source")]
    public static partial void SourceFailed(ILogger logger, SiloAddressSource source, string endpoint, string reason, Exception? exception);

    [LoggerMessage(EventId = 4, EventName = "SiloAddressLoopbackFallback", Level = LogLevel.Warning,
        Message = "No network interface has a routable IPv4 address; the silo advertises {Address}, which other hosts "
            + "cannot reach. Set OrleansBatch:Silo:AdvertisedAddress if this silo must be reachable from elsewhere")]
    public static partial void LoopbackFallback(ILogger logger, IPAddress address);

    [LoggerMessage(EventId = 5, EventName = "SiloAddressHostNameResolved", Level = LogLevel.Debug,
        Message = "OrleansBatch:Silo:AdvertisedAddress host name {HostName} resolved to {Addresses}")]
    public static partial void HostNameResolved(ILogger logger, string hostName, IEnumerable<IPAddress> addresses);

    [LoggerMessage(EventId = 6, EventName = "SiloAddressEcsTaskNotAwsvpc", Level = LogLevel.Debug,
        Message = "EcsTaskMetadata not used: the task's network modes are [{NetworkModes}], not awsvpc; its address is the host's")]
    public static partial void EcsTaskNotAwsvpc(ILogger logger, IEnumerable<string> networkModes);
}
