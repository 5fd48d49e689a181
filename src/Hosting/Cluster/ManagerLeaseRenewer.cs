using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Renews the manager's lease on its cluster while the manager lives. Silos stop themselves once renewals stop
/// for longer than the orphan timeout, which is how a killed manager's silos end without anyone's help. A manager
/// that was only paused (a suspended laptop, a stopped process) and comes back after a silo gave its cluster up
/// learns so from its next renewal, which never overwrites the abandoned mark, and reports the cluster lost.
/// </summary>
internal sealed partial class ManagerLeaseRenewer : IAsyncDisposable
{
    private readonly IManagerLeaseStore _store;
    private readonly string _clusterId;
    private readonly TimeSpan _timeout;
    private readonly IClusterLaunchObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly string _holder;
    private long _renewals;
    private long _lastSuccess;
    private int _disposed;
    private Task? _loop;

    public ManagerLeaseRenewer(IManagerLeaseStore store, string clusterId, TimeSpan timeout, IClusterLaunchObserver observer, TimeProvider time, ILogger logger)
    {
        _store = store;
        _clusterId = clusterId;
        _timeout = timeout;
        _observer = observer;
        _time = time;
        _logger = logger;
        var job = Environment.GetEnvironmentVariable(AwsBatch.BatchJobEnvironment.JobIdVariable);
        _holder = $"{Environment.MachineName} pid {Environment.ProcessId}" + (string.IsNullOrEmpty(job) ? string.Empty : $" job {job}");
    }

    /// <summary>Cancelled when a renewal found the lease marked abandoned by a silo: the cluster is being stopped.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>What happened when a silo gave the cluster up, in the words the manager reports.</summary>
    public string AbandonedReason =>
        $"a silo found the manager lease not renewed for longer than --orphan-timeout ({_timeout.TotalSeconds:0} s), marked the cluster abandoned and stopped its jobs (was the manager paused, or cut off from the membership table?)";

    /// <summary>True when a silo marked the lease abandoned: the cluster's jobs are being stopped.</summary>
    public async Task<bool> IsAbandonedAsync(CancellationToken cancellationToken) =>
        Lost.IsCancellationRequested || (await _store.ReadAsync(_clusterId, cancellationToken).ConfigureAwait(false))?.Abandoned == true;

    /// <summary>Writes the first lease (failing the launch if it cannot) and starts renewing.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ClusterLaunchException($"the cluster id {_clusterId} belongs to a cluster that was abandoned; choose another --cluster-id");
        }

        Interlocked.Exchange(ref _lastSuccess, _time.GetTimestamp());
        Diagnostics.Internal.ClusterTelemetry.ReportLeaseAge(this, () => new System.Diagnostics.Metrics.Measurement<double>(
            _time.GetElapsedTime(Interlocked.Read(ref _lastSuccess)).TotalSeconds,
            new KeyValuePair<string, object?>(Diagnostics.Internal.ClusterTelemetry.ClusterIdTag, _clusterId)));
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Diagnostics.Internal.ClusterTelemetry.Unregister(this);
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Stops renewing and marks the lease abandoned: tear-down gave up, so silos must stop at once and
    /// <c>cleanup</c> may act without waiting for the lease to expire.
    /// </summary>
    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync().ConfigureAwait(false);
        await _store.WriteAsync(_clusterId, NewLease() with { Abandoned = true }, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> RenewAsync(CancellationToken cancellationToken) => _store.WriteAsync(_clusterId, NewLease(), cancellationToken);

    private ManagerLease NewLease() =>
        ManagerProcessIdentity.Stamp(new ManagerLease(Interlocked.Increment(ref _renewals), _time.GetUtcNow(), _timeout, _holder));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ManagerLeaseOptions.RenewalPeriodFor(_timeout), _time);
        var warned = false;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (!await RenewAsync(cancellationToken).ConfigureAwait(false))
                    {
                        LogLeaseLost(_logger, _time.GetElapsedTime(Interlocked.Read(ref _lastSuccess)).TotalSeconds);
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    Interlocked.Exchange(ref _lastSuccess, _time.GetTimestamp());
                    warned = false;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewalFailed(_logger, exception);
                    var silent = _time.GetElapsedTime(Interlocked.Read(ref _lastSuccess));
                    if (!warned && silent > _timeout / 2)
                    {
                        warned = true;
                        _observer.OnWarning($"The manager lease has not been renewed for {silent.TotalSeconds:0} s ({exception.Message}); silos stop themselves after {_timeout.TotalSeconds:0} s without a renewal (--orphan-timeout).");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The manager lease was marked abandoned by a silo after {SilentSeconds:0} s without a renewal; the cluster is lost")]
    private static partial void LogLeaseLost(ILogger logger, double silentSeconds);

    // Detail for --verbose: the observer says once, in one line, when renewals have been failing for long.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Renewing the manager lease failed; retrying")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);
}
