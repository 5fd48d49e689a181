using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;

namespace Orleans.Batch.Application.Dashboard;

/// <summary>
/// The Orleans Dashboard, served by the manager (the cluster's Orleans client) while the cluster runs. It listens
/// before anything is launched, so a port in use fails the run with nothing submitted; until the cluster is ready its
/// data endpoints answer 503, as the dashboard does when it loses its cluster.
/// </summary>
internal sealed class ManagerDashboard : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DashboardClusterSlot _cluster;
    private int _disposed;

    private ManagerDashboard(WebApplication app, DashboardClusterSlot cluster, Uri url)
    {
        _app = app;
        _cluster = cluster;
        Url = url;
    }

    /// <summary>The page's address, with the port actually bound.</summary>
    public Uri Url { get; }

    /// <summary>Listens on <paramref name="settings"/>' address and port.</summary>
    /// <exception cref="DashboardException">The address cannot be bound (in use, not this machine's, no permission).</exception>
    public static async Task<ManagerDashboard> StartAsync(DashboardSettings settings, Action<ILoggingBuilder> configureLogging, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Not the manager's command line or working directory: the dashboard has no settings of its own there.
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);

        // A port that cannot be bound is our one-line error, not the host's report of its failed start.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Address, settings.Port));

        var cluster = new DashboardClusterSlot();
        DashboardEndpoints.AddServices(builder.Services, builder.Configuration, cluster);

        // The page itself loads at once; its data waits for the cluster.
        var app = builder.Build();
        DashboardEndpoints.Map(app, cluster, routePrefix: null);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new DashboardException(Describe(settings, exception), exception);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var boundUri) ? boundUri.Port : settings.Port;
        return new ManagerDashboard(app, cluster, UrlFor(settings.Address, port));
    }

    /// <summary>Serves <paramref name="client"/>'s cluster from now on.</summary>
    public void Attach(IClusterClient client) => _cluster.Attach(client);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Before tear-down: pages left open then say the cluster is gone instead of timing out on it.
        _cluster.Detach();
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Uri UrlFor(IPAddress address, int port)
    {
        // A page on every interface is reached on this machine through loopback.
        var host = address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.Equals(IPAddress.IPv6Any) ? "[::1]"
            : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]"
            : address.ToString();
        return new Uri($"http://{host}:{port}/");
    }

    private static string Describe(DashboardSettings settings, IOException exception) =>
        exception.InnerException is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
            ? $"--dashboard: port {settings.Port} on {settings.Address} is in use; pick another port (--dashboard PORT, or 0 for any free one)"
            : $"--dashboard: cannot listen on {settings.Address} port {settings.Port}: {exception.Message}";
}
