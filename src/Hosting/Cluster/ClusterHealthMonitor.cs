using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Watches a running cluster's silos (their compute and their membership rows), names each silo that dies,
/// and signals <see cref="Degraded"/> once fewer than the minimum remain, so the workload can stop with a clear
/// error instead of hanging on calls to silos that are gone.
/// </summary>
internal sealed partial class ClusterHealthMonitor : IAsyncDisposable
{
    private readonly ISiloBackend _backend;
    private readonly IClusterMembership _membership;
    private readonly IReadOnlyList<ClusterSilo> _silos;
    private readonly int _minSilos;
    private readonly IClusterLaunchObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _period;
    private readonly ManagerLeaseRenewer? _lease;
    private readonly CancellationTokenSource _degraded = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, LostSilo> _lost = [];
    private readonly Lock _gate = new();
    private Task? _loop;

    public ClusterHealthMonitor(
        ISiloBackend backend,
        IClusterMembership membership,
        IReadOnlyList<ClusterSilo> silos,
        int minSilos,
        ManagerLeaseRenewer? lease,
        TimeSpan period,
        IClusterLaunchObserver observer,
        TimeProvider time,
        ILogger logger)
    {
        _backend = backend;
        _membership = membership;
        _silos = silos;
        _minSilos = minSilos;
        _lease = lease;

        // A renewal refused because a silo gave the cluster up: that ends the cluster even before its silos are seen gone.
        lease?.Lost.Register(() => _ = DegradeAsync(LeaseLostReason(lease)));
        _period = period;
        _observer = observer;
        _time = time;
        _logger = logger;
    }

    /// <summary>Cancelled once fewer than the minimum number of silos are alive.</summary>
    public CancellationToken Degraded => _degraded.Token;

    /// <summary>Why the cluster is degraded, once it is.</summary>
    public string? DegradedReason { get; private set; }

    /// <summary>The silos lost so far.</summary>
    public IReadOnlyList<LostSilo> Lost
    {
        get
        {
            lock (_gate)
            {
                return [.. _lost.Values.OrderBy(l => l.Silo.Index)];
            }
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Checks the silos once (also used by the loop).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var statuses = (await _backend.DescribeAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Index);
        var table = await _membership.ReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = table.Members.Select(m => m.Item1).ToLookup(e => e.SiloAddress);

        foreach (var silo in _silos)
        {
            lock (_gate)
            {
                if (_lost.ContainsKey(silo.Index))
                {
                    continue;
                }
            }

            statuses.TryGetValue(silo.Index, out var status);
            var row = rows[silo.Address].FirstOrDefault();
            var reason = LossReason(status, row);
            if (reason is null)
            {
                continue;
            }

            var lost = new LostSilo(silo, reason, status?.LogLocation);
            int alive;
            lock (_gate)
            {
                _lost[silo.Index] = lost;
                alive = _silos.Count - _lost.Count;
            }

            LogSiloLost(_logger, silo.Index, silo.Name, reason);
            _observer.OnSiloLost(lost);
            if (alive < _minSilos && _lease is not null && await _lease.IsAbandonedAsync(cancellationToken).ConfigureAwait(false))
            {
                // The silos ended because one of them gave the cluster up: that is the cause to report.
                await DegradeAsync(LeaseLostReason(_lease)).ConfigureAwait(false);
            }
            else if (alive < _minSilos)
            {
                await DegradeAsync($"Only {alive} of {_silos.Count} silos are still alive, fewer than the minimum of {_minSilos}; lost: {string.Join("; ", Lost.Select(Describe))}.").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Marks the cluster degraded (the first reason wins).</summary>
    private async Task DegradeAsync(string reason)
    {
        lock (_gate)
        {
            if (DegradedReason is not null)
            {
                return;
            }

            DegradedReason = reason;
        }

        try
        {
            await _degraded.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The cluster was already torn down: nobody is waiting for this signal any more.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _degraded.Dispose();
    }

    private static string LeaseLostReason(ManagerLeaseRenewer lease) => $"The cluster is lost: {lease.AbandonedReason}.";

    internal static string Describe(LostSilo lost) =>
        lost.LogLocation is { Length: > 0 } log
            ? $"{lost.Silo} ({lost.Reason}; logs: {log})"
            : $"{lost.Silo} ({lost.Reason})";

    private static string? LossReason(SiloBackendStatus? status, MembershipEntry? row)
    {
        if (status?.State.IsTerminal() == true)
        {
            return status.Reason is { Length: > 0 } reason ? $"{status.State.ToString().ToLowerInvariant()}: {reason}" : status.State.ToString().ToLowerInvariant();
        }

        return row?.Status switch
        {
            SiloStatus.Dead => "declared dead by the cluster",
            SiloStatus.ShuttingDown or SiloStatus.Stopping => "shutting down",
            _ => null,
        };
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A failed look is retried on the next tick; it says nothing about the silos.
                    LogCheckFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Index} ({Name}) was lost: {Reason}")]
    private static partial void LogSiloLost(ILogger logger, int index, string name, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking the cluster's silos failed; retrying")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
