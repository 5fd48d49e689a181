using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>Turns on cluster TLS for an Orleans.Batch silo (the manager said so: <see cref="ClusterTlsOptions.Enabled"/>).</summary>
internal static class ClusterTlsSiloBuilder
{
    /// <summary>
    /// Every silo-to-silo and gateway connection uses TLS with the cluster certificate, loaded from the
    /// <see cref="IClusterCertificateStore"/> the membership registered; a refused peer is logged once.
    /// </summary>
    /// <param name="silo">The silo builder (its membership registers the store).</param>
    /// <param name="logging">The host's logging.</param>
    public static void UseClusterTls(ISiloBuilder silo, ILoggingBuilder logging)
    {
        var certificate = new SiloCertificate();
        silo.Services.AddSingleton(certificate);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloCertificateLoader>();
        silo.Services.AddSingleton<RefusedConnectionLog>();

        // In front of Orleans' TLS middleware (added below), so it sees how each handshake ended.
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<RefusedConnectionLog>((options, refused) =>
        {
            options.ConfigureSiloInboundConnection(connection => connection.Use(refused.Middleware("silo")));
            options.ConfigureGatewayInboundConnection(connection => connection.Use(refused.Middleware("gateway")));
        });
        ClusterTls.QuietHandshakeFailures(logging);
        Orleans.Hosting.OrleansConnectionSecurityHostingExtensions.UseTls(silo, options => ClusterTls.ConfigureSilo(options, certificate));
    }
}
