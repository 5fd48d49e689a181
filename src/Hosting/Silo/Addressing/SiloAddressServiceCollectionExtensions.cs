using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Registers the <see cref="ISiloAddressResolver"/>.</summary>
internal static class SiloAddressServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISiloAddressResolver"/> with <see cref="SiloAddressOptions"/> bound from the
    /// <c>OrleansBatch:Silo</c> configuration section and validated at start, a <see cref="TimeProvider"/> and an
    /// <see cref="INetworkInterfaceSource"/> (unless already registered), and a proxy-free named
    /// <see cref="HttpClient"/> (<see cref="SiloAddressResolver.HttpClientName"/>) for the metadata endpoints.
    /// Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options after configuration is bound, when given.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSiloAddressResolver(
        this IServiceCollection services, Action<SiloAddressOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SiloAddressOptions>();
        var registered = services.Any(static d => d.ServiceType == typeof(ISiloAddressResolver));
        if (!registered)
        {
            // Bound before any configure delegate, so code can override configuration.
            options.BindConfiguration(SiloAddressOptions.SectionName).ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (registered)
        {
            return services;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloAddressOptions>, SiloAddressOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INetworkInterfaceSource, SystemNetworkInterfaceSource>();
        services.AddHttpClient<ISiloAddressResolver, SiloAddressResolver>(SiloAddressResolver.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // Both metadata endpoints are link-local: a proxy from HTTP_PROXY could only get in the way.
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
            });
        return services;
    }
}
