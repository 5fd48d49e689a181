using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>
/// Sets the address a silo advertises from <see cref="ISiloAddressResolver"/> when Orleans first reads its
/// <see cref="EndpointOptions"/> (once, at start), and logs where the address came from.
/// </summary>
/// <remarks>
/// Options are built synchronously, so the resolution (at most a few short metadata requests) is waited for
/// here; it happens once, on the host's start path, before any request is served.
/// </remarks>
internal sealed partial class EndpointAddressConfigurator(ISiloAddressResolver resolver, ILogger<EndpointAddressConfigurator> logger)
    : IPostConfigureOptions<EndpointOptions>
{
    public void PostConfigure(string? name, EndpointOptions options)
    {
        if (options.AdvertisedIPAddress is not null)
        {
            return;
        }

        var resolution = resolver.ResolveAsync(CancellationToken.None).GetAwaiter().GetResult();
        options.AdvertisedIPAddress = resolution.Address;
        LogAdvertising(logger, resolution);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Advertising {Resolution}")]
    private static partial void LogAdvertising(ILogger logger, SiloAddressResolution resolution);
}
