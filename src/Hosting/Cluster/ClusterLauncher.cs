using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Elasticity;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Diagnostics.Internal;
using Orleans.Batch.Hosting.Security.Internal;
using Orleans.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// The manager: launches a cluster's silos on a backend, waits (with a timeout, accepting min..max) until
/// they are active members, connects an Orleans client, and hands back a <see cref="BatchCluster"/>. Whatever
/// goes wrong on the way, including cancellation, everything launched is torn down before the call returns.
/// </summary>
public sealed partial class ClusterLauncher
{
    private readonly ISiloBackend _backend;
    private readonly IClusterMembership _membership;
    private readonly ClusterLaunchOptions _options;
    private readonly IClusterLaunchObserver _observer;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ILoggingBuilder>? _configureClientLogging;
    private readonly Action<IClientBuilder>? _configureClient;

    /// <summary>Creates a launcher.</summary>
    /// <param name="backend">Where the silos run.</param>
    /// <param name="membership">The cluster's membership table.</param>
    /// <param name="options">How many silos, and how long to wait.</param>
    /// <param name="observer">Receives progress and warnings; null for none.</param>
    /// <param name="loggerFactory">Logging for the launcher.</param>
    /// <param name="timeProvider">Time; null for the system clock.</param>
    /// <param name="configureClientLogging">Logging of the manager's Orleans client; null keeps Orleans quiet (warnings and up).</param>
    /// <param name="configureClient">The application's own client configuration (serializers, streams, ...), applied after ours.</param>
    public ClusterLauncher(
        ISiloBackend backend,
        IClusterMembership membership,
        ClusterLaunchOptions options,
        IClusterLaunchObserver? observer,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        Action<ILoggingBuilder>? configureClientLogging = null,
        Action<IClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        _backend = backend;
        _membership = membership;
        _options = options;
        _observer = observer ?? NullObserver.Instance;
        _loggerFactory = loggerFactory;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<ClusterLauncher>();
        _configureClientLogging = configureClientLogging;
        _configureClient = configureClient;
    }

    /// <summary>
    /// The report of the tear-down that a failed or cancelled <see cref="LaunchAsync"/> ran before it threw (for
    /// example <see cref="ClusterTeardownReport.Abandoned"/>); null while no launch has failed.
    /// </summary>
    public ClusterTeardownReport? LastTeardown { get; private set; }

    /// <summary>
    /// Launches the cluster and returns once at least the minimum number of silos is active and the client is
    /// connected. Throws <see cref="ClusterLaunchException"/> when too few silos become active, and
    /// <see cref="OperationCanceledException"/> when cancelled; in both cases after tearing everything down.
    /// </summary>
    /// <param name="cancellationToken">Cancels the launch (e.g. Ctrl+C), which then tears down.</param>
    /// <param name="forceTeardown">Cuts a tear-down's graceful phase short (e.g. a second Ctrl+C).</param>
    public async Task<BatchCluster> LaunchAsync(CancellationToken cancellationToken, CancellationToken forceTeardown = default)
    {
        var teardown = new ClusterTeardown(_backend, _membership, _options, _observer, _time, _logger);
        var started = _time.GetTimestamp();
        using var activity = ClusterTelemetry.Source.StartActivity("orleans.batch.launch");
        activity?.SetTag(ClusterTelemetry.ClusterIdTag, _options.ClusterId);
        activity?.SetTag(ClusterTelemetry.BackendTag, _backend.Name);
        var outcome = "failed";
        IHost? unstartedClient = null;
        ClusterCertificate? certificate = null;
        try
        {
            var settings = _membership.ConfigureSilos(new SiloSettings
            {
                ClusterId = _options.ClusterId,
                ServiceId = _options.ServiceId,
                ExpectedSilos = _options.MaxSilos,
                Dashboard = _options.Dashboard,
            });

            // The table must be there before anything is launched, and the lease before any silo looks for it.
            await _membership.PrepareAsync(cancellationToken).ConfigureAwait(false);
            teardown.MembershipPrepared = true;
            if (_options.EffectiveTls)
            {
                certificate = await PublishCertificateAsync(cancellationToken).ConfigureAwait(false);
                teardown.Certificate = certificate;
                settings = settings with { Tls = true };
            }

            if (_options.OrphanTimeout is { } orphanTimeout)
            {
                var renewer = new ManagerLeaseRenewer(_membership.Leases, _options.ClusterId, orphanTimeout, _observer, _time, _logger);
                teardown.LeaseRenewer = renewer;
                await renewer.StartAsync(cancellationToken).ConfigureAwait(false);
                settings = settings with { OrphanTimeout = orphanTimeout };
            }

            LogLaunching(_logger, _options.MaxSilos, _backend.Name, _options.ClusterId, _membership.Description);
            var replacements = new SiloReplacementBudget(_options.EffectiveReplaceLost);
            var launched = await _backend.LaunchAsync(new SiloLaunchSpec(_options.ClusterId, _options.MaxSilos, settings) { Replacements = replacements }, cancellationToken).ConfigureAwait(false);

            // Build the client while the silos start: only the connection has to wait for them.
            unstartedClient = BuildClientHost(certificate);
            var waiter = new SiloJoinWaiter(_backend, _membership, _options, _observer, _time, _logger);
            var snapshot = await waiter.WaitAsync(launched, _options.EffectiveMinSilos, started, cancellationToken).ConfigureAwait(false);
            var active = snapshot.Silos
                .Where(s => s.IsActive)
                .Select(s => new ClusterSilo(s.Index, s.Name, s.SiloAddress!))
                .ToList();

            var client = unstartedClient;
            unstartedClient = null;
            teardown.ClientHost = await StartClientAsync(client, cancellationToken).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started);
            LogReady(_logger, active.Count, elapsed.TotalSeconds);
            outcome = "ready";
            var monitor = new ClusterHealthMonitor(
                _backend, _membership, active, Math.Min(_options.EffectiveMinSilos, active.Count), replacements, _options.LaunchTimeout,
                teardown.LeaseRenewer, MonitorInterval(), _observer, _time, _logger)
            {
                ClusterId = _options.ClusterId,
            };
            teardown.Monitor = monitor;
            monitor.Start();
            var resizer = new ClusterResizer(_backend, settings, _options, monitor, waiter, _time);
            teardown.Resizer = resizer;
            return new BatchCluster(_options.ClusterId, teardown.ClientHost, _membership, teardown, monitor, resizer, _observer, _time, _logger);
        }
        catch (Exception exception)
        {
            outcome = exception is OperationCanceledException ? "cancelled" : "failed";
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.Message);
            unstartedClient?.Dispose();
            var reason = exception switch
            {
                OperationCanceledException => "the launch was cancelled",
                ClusterLaunchException launch => launch.Reason,
                _ => $"the launch failed: {exception.Message}",
            };
            LastTeardown = await teardown.RunAsync(reason, forceTeardown).ConfigureAwait(false);
            throw;
        }
        finally
        {
            ClusterTelemetry.LaunchEnded(_options.ClusterId, _backend.Name, outcome, _time.GetElapsedTime(started));
        }
    }

    // A monitor pass reads every silo's job and row: at scale, no more often than the cluster's size allows.
    private TimeSpan MonitorInterval()
    {
        var bySize = MembershipScale.For(_options.MaxSilos).ManagerMonitor;
        return _options.MonitorInterval > bySize ? _options.MonitorInterval : bySize;
    }

    // The cluster's certificate goes beside its rows before any silo starts; silos read it from there.
    private async Task<ClusterCertificate> PublishCertificateAsync(CancellationToken cancellationToken)
    {
        var store = (_membership as IClusterCertificateCarrier)?.Certificates
            ?? throw new ClusterLaunchException($"TLS needs a membership table that can carry the cluster's certificate; {_membership.GetType().Name} cannot (turn TLS off, or use the local or DynamoDB membership)");
        var certificate = _options.TlsCertificate is { } own ? ClusterCertificate.Load(own) : ClusterCertificate.Create(_options.ClusterId, _time);
        try
        {
            await store.PublishAsync(_options.ClusterId, certificate.ToPem(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }

        var where = store.Describe(_options.ClusterId);
        var which = _options.TlsCertificate is null ? "a fresh certificate for this cluster" : "the given certificate";
        var thumbprint = certificate.Thumbprint;
        LogTls(_logger, which, thumbprint, where);
        _observer.OnInfo($"Cluster TLS: on, with {which} (SHA-256 {thumbprint[..16]}…), handed to the silos in {where}");
        return certificate;
    }

    private IHost BuildClientHost(ClusterCertificate? certificate)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (_configureClientLogging is not null)
        {
            _configureClientLogging(builder.Logging);
        }

        builder.Services.AddSingleton(_time);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = _options.ClusterId;
                o.ServiceId = _options.ServiceId;
            });
            client.Configure<GatewayOptions>(o => ShortLivedClusterDefaults.Apply(o, _options.MaxSilos));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = _options.CallTimeout);
            _membership.ConfigureClient(client);
            if (certificate is not null)
            {
                client.UseTls(options => ClusterTls.ConfigureClient(options, certificate));
            }

            _configureClient?.Invoke(client);
        });

        return builder.Build();
    }

    private async Task<IHost> StartClientAsync(IHost host, CancellationToken cancellationToken)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(_options.ClientConnectTimeout);
        try
        {
            await host.StartAsync(connect.Token).ConfigureAwait(false);
            return host;
        }
        catch (Exception exception)
        {
            host.Dispose();
            if (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new ClusterLaunchException($"The manager's Orleans client could not connect within {DurationText.Format(_options.ClientConnectTimeout)}.", exception);
            }

            if (exception is OperationCanceledException)
            {
                throw;
            }

            throw new ClusterLaunchException($"The manager's Orleans client could not connect: {exception.Message}", exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Launching {Count} silo(s) on the {Backend} backend for cluster {ClusterId} (membership: {Membership})")]
    private static partial void LogLaunching(ILogger logger, int count, string backend, string clusterId, string membership);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster TLS: {Which} (SHA-256 {Thumbprint}) handed to the silos in {Where}")]
    private static partial void LogTls(ILogger logger, string which, string thumbprint, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster ready: {Count} silo(s) active and the client connected after {Seconds:0.0} s")]
    private static partial void LogReady(ILogger logger, int count, double seconds);

    private sealed class NullObserver : IClusterLaunchObserver
    {
        public static readonly NullObserver Instance = new();
    }
}
