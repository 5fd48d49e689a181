using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.Lease;
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
    private IReadOnlyList<SiloBackendStatus> _lastStatuses = [];
    private long? _waitingSince;
    private long? _lastDiagnosis;
    private HashSet<string> _diagnosed = [];

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
        IHost? unstartedClient = null;
        try
        {
            var settings = _membership.ConfigureSilos(new SiloSettings { ClusterId = _options.ClusterId, ServiceId = _options.ServiceId, ExpectedSilos = _options.MaxSilos });

            // The table must be there before anything is launched, and the lease before any silo looks for it.
            await _membership.PrepareAsync(cancellationToken).ConfigureAwait(false);
            teardown.MembershipPrepared = true;
            if (_options.OrphanTimeout is { } orphanTimeout)
            {
                var renewer = new ManagerLeaseRenewer(_membership.Leases, _options.ClusterId, orphanTimeout, _observer, _time, _logger);
                teardown.LeaseRenewer = renewer;
                await renewer.StartAsync(cancellationToken).ConfigureAwait(false);
                settings = settings with { OrphanTimeout = orphanTimeout };
            }

            LogLaunching(_logger, _options.MaxSilos, _backend.Name, _options.ClusterId, _membership.Description);
            var launched = await _backend.LaunchAsync(new SiloLaunchSpec(_options.ClusterId, _options.MaxSilos, settings), cancellationToken).ConfigureAwait(false);

            // Build the client while the silos start: only the connection has to wait for them.
            unstartedClient = BuildClientHost();
            var snapshot = await WaitForSilosAsync(launched, started, cancellationToken).ConfigureAwait(false);
            var active = snapshot.Silos
                .Where(s => s.IsActive)
                .Select(s => new ClusterSilo(s.Index, s.Name, s.SiloAddress!))
                .ToList();

            var client = unstartedClient;
            unstartedClient = null;
            teardown.ClientHost = await StartClientAsync(client, cancellationToken).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started);
            LogReady(_logger, active.Count, elapsed.TotalSeconds);
            var monitor = new ClusterHealthMonitor(_backend, _membership, active, Math.Min(_options.EffectiveMinSilos, active.Count), teardown.LeaseRenewer, MonitorInterval(), _observer, _time, _logger);
            teardown.Monitor = monitor;
            monitor.Start();
            return new BatchCluster(_options.ClusterId, teardown.ClientHost, active, _membership, teardown, monitor);
        }
        catch (Exception exception)
        {
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
    }

    // A monitor pass reads every silo's job and row: at scale, no more often than the cluster's size allows.
    private TimeSpan MonitorInterval()
    {
        var bySize = MembershipScale.For(_options.MaxSilos).ManagerMonitor;
        return _options.MonitorInterval > bySize ? _options.MonitorInterval : bySize;
    }

    private async Task<ClusterLaunchSnapshot> WaitForSilosAsync(IReadOnlyList<LaunchedSilo> launched, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        var failing = false;
        while (true)
        {
            ClusterLaunchSnapshot snapshot;
            try
            {
                snapshot = await ObserveAsync(launched, started, cancellationToken).ConfigureAwait(false);
                if (failing)
                {
                    failing = false;
                    LogObserveRecovered(_logger);
                }
            }
            catch (Exception exception) when (TransientFailure.IsTransient(exception) && _time.GetElapsedTime(started) < _options.LaunchTimeout)
            {
                // A passing outage of Batch or the table: keep waiting within --timeout, saying so once per outage.
                if (!failing)
                {
                    failing = true;
                    _observer.OnWarning($"Cannot read the silos' state ({exception.Message}); retrying until --timeout ({DurationText.Format(_options.LaunchTimeout)}) passes");
                }

                LogObserveFailed(_logger, exception);
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            _observer.OnProgress(snapshot);
            await DiagnoseWaitingAsync(cancellationToken).ConfigureAwait(false);

            if (snapshot.ActiveCount >= _options.MaxSilos)
            {
                return snapshot;
            }

            if (snapshot.PossibleCount < _options.EffectiveMinSilos)
            {
                throw new ClusterLaunchException(
                    $"Only {snapshot.PossibleCount} of the {launched.Count} silos can still become active, fewer than the minimum of {_options.EffectiveMinSilos}.",
                    snapshot);
            }

            // Nothing left to wait for: every silo that has not joined has failed for good.
            if (snapshot.ActiveCount == snapshot.PossibleCount)
            {
                _observer.OnWarning(
                    $"{snapshot.Silos.Count - snapshot.ActiveCount} of {launched.Count} silos failed; going on with the {snapshot.ActiveCount} active (minimum {_options.EffectiveMinSilos}).");
                return snapshot;
            }

            if (snapshot.Elapsed >= _options.LaunchTimeout)
            {
                if (snapshot.ActiveCount < _options.EffectiveMinSilos)
                {
                    throw new ClusterLaunchException(
                        $"Timed out after {DurationText.Format(_options.LaunchTimeout)} (--timeout) with {snapshot.ActiveCount} of {launched.Count} silos active; at least {_options.EffectiveMinSilos} were required.",
                        snapshot);
                }

                // Going on with fewer: stop the stragglers so they neither join late nor run up a bill.
                var stragglers = snapshot.Silos.Where(s => !s.IsActive).Select(s => s.Index).ToList();
                _observer.OnWarning(
                    $"Timed out after {DurationText.Format(_options.LaunchTimeout)} with {snapshot.ActiveCount} of {launched.Count} silos active (minimum {_options.EffectiveMinSilos}); going on with those and stopping the other {stragglers.Count}.");
                await _backend.StopSilosAsync(stragglers, cancellationToken).ConfigureAwait(false);
                return snapshot;
            }

            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Silos that wait to start longer than <see cref="ClusterLaunchOptions.WaitingDiagnosisAfter"/>: ask the backend
    /// why, then again every so often, and say only what is new (one line per distinct cause).
    /// </summary>
    private async Task DiagnoseWaitingAsync(CancellationToken cancellationToken)
    {
        if (_backend is not IWaitingSiloDiagnostics diagnostics || !_lastStatuses.Any(s => s.State == SiloBackendState.Runnable))
        {
            _waitingSince = null;
            return;
        }

        _waitingSince ??= _time.GetTimestamp();
        var recheck = TimeSpan.FromTicks(Math.Min(_options.WaitingDiagnosisAfter.Ticks, TimeSpan.FromSeconds(30).Ticks));
        if (_time.GetElapsedTime(_waitingSince.Value) < _options.WaitingDiagnosisAfter
            || (_lastDiagnosis is { } last && _time.GetElapsedTime(last) < recheck))
        {
            return;
        }

        _lastDiagnosis = _time.GetTimestamp();
        try
        {
            var lines = await diagnostics.DiagnoseWaitingAsync(_lastStatuses, cancellationToken).ConfigureAwait(false);
            foreach (var line in lines.Where(l => !_diagnosed.Contains(l)))
            {
                _observer.OnWarning("Why RUNNABLE: " + line);
            }

            _diagnosed = [.. lines];
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A diagnosis is a courtesy: a failed Describe call must not fail the launch.
            LogObserveFailed(_logger, exception);
        }
    }

    private async Task<ClusterLaunchSnapshot> ObserveAsync(IReadOnlyList<LaunchedSilo> launched, long started, CancellationToken cancellationToken)
    {
        var backendTask = _backend.DescribeAsync(cancellationToken);
        var membershipTask = _membership.ReadAsync(cancellationToken);
        var statuses = (await backendTask.ConfigureAwait(false)).ToDictionary(s => s.Index);
        _lastStatuses = [.. statuses.Values];
        var table = await membershipTask.ConfigureAwait(false);

        // A silo that restarted has several rows under one name; the newest generation is the one that counts.
        var rows = table.Members
            .Select(m => m.Item1)
            .Where(e => !string.IsNullOrEmpty(e.SiloName))
            .GroupBy(e => e.SiloName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(e => e.SiloAddress.Generation)!, StringComparer.Ordinal);

        var silos = launched
            .Select(silo =>
            {
                statuses.TryGetValue(silo.Index, out var status);
                rows.TryGetValue(silo.Name, out var row);
                return new SiloLaunchState(silo.Index, silo.Name, status, row?.Status, row?.SiloAddress);
            })
            .ToList();
        return new ClusterLaunchSnapshot(_options.ClusterId, silos, _time.GetElapsedTime(started), _options.LaunchTimeout, _options.EffectiveMinSilos);
    }

    private IHost BuildClientHost()
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the silos' state failed; retrying")]
    private static partial void LogObserveFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading the silos' state works again")]
    private static partial void LogObserveRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster ready: {Count} silo(s) active and the client connected after {Seconds:0.0} s")]
    private static partial void LogReady(ILogger logger, int count, double seconds);

    private sealed class NullObserver : IClusterLaunchObserver
    {
        public static readonly NullObserver Instance = new();
    }
}
