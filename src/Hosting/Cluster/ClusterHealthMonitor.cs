using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Elasticity;
using Orleans.Batch.Hosting.Membership;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Watches a running cluster's silos (their compute and their membership rows): names each silo that dies, follows
/// the replacement of silos lost to their infrastructure (a new attempt under the same index and name, within the
/// cluster's budget), keeps the set of live silos as the cluster grows and shrinks, and signals
/// <see cref="Degraded"/> once fewer than the minimum remain, so the workload can stop with a clear error instead of
/// hanging on calls to silos that are gone.
/// </summary>
internal sealed partial class ClusterHealthMonitor : IAsyncDisposable
{
    // A silo whose row says it left while its compute still runs: how long to wait for its backend to end it or to
    // start it again before calling it lost.
    private static readonly TimeSpan LeavingGrace = TimeSpan.FromSeconds(60);

    private readonly ISiloBackend _backend;
    private readonly IClusterMembership _membership;
    private readonly SiloReplacementBudget _replacements;
    private readonly TimeSpan _replacementTimeout;
    private readonly IClusterLaunchObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _period;
    private readonly ManagerLeaseRenewer? _lease;
    private readonly CancellationTokenSource _degraded = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SortedDictionary<int, TrackedSilo> _silos = [];
    private readonly Lock _gate = new();
    private Task? _loop;

    public ClusterHealthMonitor(
        ISiloBackend backend,
        IClusterMembership membership,
        IReadOnlyList<ClusterSilo> silos,
        int minSilos,
        SiloReplacementBudget replacements,
        TimeSpan replacementTimeout,
        ManagerLeaseRenewer? lease,
        TimeSpan period,
        IClusterLaunchObserver observer,
        TimeProvider time,
        ILogger logger)
    {
        _backend = backend;
        _membership = membership;
        foreach (var silo in silos)
        {
            _silos[silo.Index] = new TrackedSilo(silo.Index, silo.Name) { State = TrackedSiloState.Active, Silo = silo };
        }

        MinSilos = minSilos;
        _replacements = replacements;
        _replacementTimeout = replacementTimeout;
        _lease = lease;

        // A renewal refused because a silo gave the cluster up: that ends the cluster even before its silos are seen gone.
        lease?.Lost.Register(() => _ = DegradeAsync(LeaseLostReason(lease)));
        _period = period;
        _observer = observer;
        _time = time;
        _logger = logger;
    }

    /// <summary>The cluster's id, for telemetry tags.</summary>
    public string? ClusterId { get; init; }

    /// <summary>A silo became an active member after the launch (added, or a replacement back).</summary>
    public event Action<ClusterSiloEventArgs>? SiloAdded;

    /// <summary>A silo was lost (for good, or while a replacement is on its way).</summary>
    public event Action<ClusterSiloEventArgs>? SiloLost;

    /// <summary>A silo was removed by the manager.</summary>
    public event Action<ClusterSiloEventArgs>? SiloRemoved;

    /// <summary>How many live silos the cluster needs; fewer degrade it.</summary>
    public int MinSilos { get; }

    /// <summary>The cluster's replacement budget.</summary>
    public SiloReplacementBudget Replacements => _replacements;

    /// <summary>Cancelled once fewer than the minimum number of silos are alive.</summary>
    public CancellationToken Degraded => _degraded.Token;

    /// <summary>Why the cluster is degraded, once it is.</summary>
    public string? DegradedReason { get; private set; }

    /// <summary>The silos lost so far, by index.</summary>
    public IReadOnlyList<LostSilo> Lost => Select(s => s.State == TrackedSiloState.Lost && s.Lost is not null, s => s.Lost!);

    /// <summary>The active members, by index.</summary>
    public IReadOnlyList<ClusterSilo> Live => Select(s => s.State == TrackedSiloState.Active, s => s.Silo!);

    /// <summary>Every silo that has been an active member, by index, with its latest address.</summary>
    public IReadOnlyList<ClusterSilo> Ever => Select(s => s.Silo is not null, s => s.Silo!);

    /// <summary>The silos removed by the manager, by index.</summary>
    public IReadOnlyList<ClusterSilo> Removed => Select(s => s.State == TrackedSiloState.Removed && s.Silo is not null, s => s.Silo!);

    /// <summary>How many silos count towards the minimum now (active, or on their way back).</summary>
    public int AliveCount
    {
        get
        {
            lock (_gate)
            {
                return _silos.Values.Count(s => s.CountsAsAlive);
            }
        }
    }

    public void Start()
    {
        Diagnostics.Internal.ClusterTelemetry.ReportSilos(this, CountByState);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Tracks silos just added to the running cluster, until they join or fail to.</summary>
    public void TrackJoining(IEnumerable<LaunchedSilo> silos)
    {
        lock (_gate)
        {
            foreach (var silo in silos)
            {
                _silos[silo.Index] = new TrackedSilo(silo.Index, silo.Name);
            }
        }
    }

    /// <summary>An added silo is an active member.</summary>
    public void MarkJoined(ClusterSilo silo)
    {
        lock (_gate)
        {
            var tracked = _silos[silo.Index];
            if (tracked.State != TrackedSiloState.Joining)
            {
                return;
            }

            tracked.State = TrackedSiloState.Active;
            tracked.Silo = silo;
        }

        _observer.OnSiloAdded(silo);
        SiloAdded?.Invoke(new ClusterSiloEventArgs(silo));
    }

    /// <summary>An added silo that did not join: forgotten (it was never a member).</summary>
    public void MarkNotJoined(int index)
    {
        lock (_gate)
        {
            if (_silos.TryGetValue(index, out var tracked) && tracked.State == TrackedSiloState.Joining)
            {
                tracked.State = TrackedSiloState.Removed;
            }
        }
    }

    /// <summary>
    /// Marks live silos as being removed (the monitor then leaves them alone), or throws when one is not a live
    /// member or the rest would be fewer than the minimum.
    /// </summary>
    public IReadOnlyList<ClusterSilo> BeginRemoval(IReadOnlyCollection<ClusterSilo> silos)
    {
        lock (_gate)
        {
            var targets = new List<TrackedSilo>();
            foreach (var silo in silos)
            {
                if (!_silos.TryGetValue(silo.Index, out var tracked) || tracked.State != TrackedSiloState.Active || tracked.Name != silo.Name)
                {
                    throw new InvalidOperationException($"{silo} is not a live silo of this cluster, so it cannot be removed.");
                }

                targets.Add(tracked);
            }

            var left = _silos.Values.Count(s => s.CountsAsAlive) - targets.Distinct().Count();
            if (left < MinSilos)
            {
                throw new InvalidOperationException(
                    $"Removing {targets.Count} silo(s) would leave {left}, fewer than the cluster's minimum of {MinSilos} (--silos MIN:MAX).");
            }

            foreach (var tracked in targets)
            {
                tracked.State = TrackedSiloState.Removing;
            }

            return [.. targets.Select(t => t.Silo!)];
        }
    }

    /// <summary>A silo the manager removed has stopped.</summary>
    public void MarkRemoved(ClusterSilo silo, string reason)
    {
        lock (_gate)
        {
            _silos[silo.Index].State = TrackedSiloState.Removed;
        }

        LogSiloRemoved(_logger, silo.Index, silo.Name, reason);
        _observer.OnSiloRemoved(silo, reason);
        SiloRemoved?.Invoke(new ClusterSiloEventArgs(silo, reason));
    }

    /// <summary>Checks the silos once (also used by the loop).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var statuses = (await _backend.DescribeAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Index);
        var table = await _membership.ReadAsync(cancellationToken).ConfigureAwait(false);
        var entries = table.Members.Select(m => m.Item1).ToList();
        var byAddress = entries.ToLookup(e => e.SiloAddress);

        // A silo started again has several rows under one name; its newest generation is the one that counts.
        var newest = entries
            .Where(e => !string.IsNullOrEmpty(e.SiloName))
            .GroupBy(e => e.SiloName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(e => e.SiloAddress.Generation)!, StringComparer.Ordinal);

        foreach (var tracked in Snapshot())
        {
            statuses.TryGetValue(tracked.Index, out var status);
            newest.TryGetValue(tracked.Name, out var latestRow);
            var ownRow = tracked.Silo is { } silo ? byAddress[silo.Address].FirstOrDefault() : null;
            await CheckSiloAsync(tracked, status, ownRow, latestRow, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CheckSiloAsync(TrackedSilo tracked, SiloBackendStatus? status, MembershipEntry? ownRow, MembershipEntry? latestRow, CancellationToken cancellationToken)
    {
        if (tracked.State is TrackedSiloState.Joining or TrackedSiloState.Removing or TrackedSiloState.Removed or TrackedSiloState.Lost)
        {
            return; // added silos are followed by their AddSilosAsync, removed ones by their RemoveSilosAsync
        }

        // The backend started a new attempt (Batch retried the job, or the local backend restarted the process).
        if (status is not null && status.Attempt > tracked.Attempt)
        {
            // Every attempt since the last look counts: Batch may have retried twice between two polls.
            var accepted = true;
            for (var attempt = tracked.Attempt + 1; attempt <= status.Attempt && accepted; attempt++)
            {
                accepted = _replacements.TryAccept(tracked.Index, attempt);
            }

            tracked.Attempt = status.Attempt;
            var cause = status.PreviousAttemptReason ?? "its compute ended";
            if (!accepted)
            {
                await _backend.StopSilosAsync([tracked.Index], cancellationToken).ConfigureAwait(false);
                await LoseAsync(tracked, $"{cause}; not replaced: {BudgetSpent()}", status, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (tracked.State != TrackedSiloState.Replacing)
            {
                tracked.State = TrackedSiloState.Replacing;
                tracked.Since = _time.GetTimestamp();
                var lost = new LostSilo(tracked.Silo!, cause, status.LogLocation);
                LogSiloReplacing(_logger, tracked.Index, tracked.Name, cause, _replacements.Used, _replacements.Total);
                _observer.OnSiloReplacing(lost, _replacements.Used, _replacements.Total);
                Diagnostics.Internal.ClusterTelemetry.SiloLost(ClusterId, replacing: true);
                SiloLost?.Invoke(new ClusterSiloEventArgs(tracked.Silo!, cause, replacing: true));
            }

            return;
        }

        switch (tracked.State)
        {
            case TrackedSiloState.Replacing:
                if (latestRow is { Status: SiloStatus.Active } row && row.SiloAddress.Generation > tracked.Silo!.Address.Generation)
                {
                    var back = tracked.Silo with { Address = row.SiloAddress };
                    lock (_gate)
                    {
                        tracked.State = TrackedSiloState.Active;
                        tracked.Silo = back;
                    }

                    LogSiloReplaced(_logger, tracked.Index, tracked.Name, status?.Attempt ?? tracked.Attempt);
                    _observer.OnSiloAdded(back);
                    SiloAdded?.Invoke(new ClusterSiloEventArgs(back, $"attempt {tracked.Attempt}"));
                }
                else if (status?.State.IsTerminal() == true)
                {
                    await LoseAsync(tracked, $"its replacement failed: {Describe(status)}", status, cancellationToken).ConfigureAwait(false);
                }
                else if (_time.GetElapsedTime(tracked.Since) >= _replacementTimeout)
                {
                    await _backend.StopSilosAsync([tracked.Index], cancellationToken).ConfigureAwait(false);
                    await LoseAsync(tracked, $"its replacement did not become active within {DurationText.Format(_replacementTimeout)} (--timeout)", status, cancellationToken).ConfigureAwait(false);
                }

                return;

            case TrackedSiloState.Leaving:
                if (status?.State.IsTerminal() == true)
                {
                    await LoseAsync(tracked, Describe(status), status, cancellationToken).ConfigureAwait(false);
                }
                else if (_time.GetElapsedTime(tracked.Since) >= LeavingGrace)
                {
                    await LoseAsync(tracked, RowReason(ownRow) ?? "left the cluster", status, cancellationToken).ConfigureAwait(false);
                }

                return;
        }

        // Active.
        if (status?.State.IsTerminal() == true)
        {
            await LoseAsync(tracked, Describe(status), status, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (RowReason(ownRow) is { } rowReason)
        {
            // Its row says it left or died while its compute still runs. With replacements left, give the backend a
            // moment to end it or start it again (Batch retries only once the container has exited).
            if (_replacements.Used < _replacements.Total)
            {
                tracked.State = TrackedSiloState.Leaving;
                tracked.Since = _time.GetTimestamp();
                return;
            }

            await LoseAsync(tracked, rowReason, status, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LoseAsync(TrackedSilo tracked, string reason, SiloBackendStatus? status, CancellationToken cancellationToken)
    {
        if (_replacements.Total > 0 && _replacements.Used >= _replacements.Total && InfrastructureLoss.LooksReplaceable(status) && !reason.Contains(BudgetSpent(), StringComparison.Ordinal))
        {
            reason += $"; not replaced: {BudgetSpent()}";
        }

        var silo = tracked.Silo!;
        var lost = new LostSilo(silo, reason, status?.LogLocation);
        int alive;
        lock (_gate)
        {
            tracked.State = TrackedSiloState.Lost;
            tracked.Lost = lost;
            alive = _silos.Values.Count(s => s.CountsAsAlive);
        }

        LogSiloLost(_logger, silo.Index, silo.Name, reason);
        _observer.OnSiloLost(lost);
        Diagnostics.Internal.ClusterTelemetry.SiloLost(ClusterId, replacing: false);
        SiloLost?.Invoke(new ClusterSiloEventArgs(silo, reason));
        if (alive < MinSilos && _lease is not null && await _lease.IsAbandonedAsync(cancellationToken).ConfigureAwait(false))
        {
            // The silos ended because one of them gave the cluster up: that is the cause to report.
            await DegradeAsync(LeaseLostReason(_lease)).ConfigureAwait(false);
        }
        else if (alive < MinSilos)
        {
            await DegradeAsync($"Only {alive} silo(s) are still alive, fewer than the minimum of {MinSilos}; lost: {string.Join("; ", Lost.Select(Describe))}.").ConfigureAwait(false);
        }
    }

    private string BudgetSpent() => $"the replacement budget (--replace-lost {_replacements.Total}) is spent";

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
        Diagnostics.Internal.ClusterTelemetry.Unregister(this);
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

    private static string Describe(SiloBackendStatus status) =>
        status.Reason is { Length: > 0 } reason ? $"{status.State.ToString().ToLowerInvariant()}: {reason}" : status.State.ToString().ToLowerInvariant();

    private static string? RowReason(MembershipEntry? row) => row?.Status switch
    {
        SiloStatus.Dead => "declared dead by the cluster",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "shutting down",
        _ => null,
    };

    private IEnumerable<System.Diagnostics.Metrics.Measurement<int>> CountByState() =>
        Snapshot()
            .GroupBy(s => s.State)
            .Select(g => new System.Diagnostics.Metrics.Measurement<int>(
                g.Count(),
                new KeyValuePair<string, object?>(Diagnostics.Internal.ClusterTelemetry.ClusterIdTag, ClusterId),
                new KeyValuePair<string, object?>("state", g.Key.ToString().ToLowerInvariant())));

    private List<TrackedSilo> Snapshot()
    {
        lock (_gate)
        {
            return [.. _silos.Values];
        }
    }

    private List<T> Select<T>(Func<TrackedSilo, bool> predicate, Func<TrackedSilo, T> selector)
    {
        lock (_gate)
        {
            return [.. _silos.Values.Where(predicate).Select(selector)];
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Index} ({Name}) was lost ({Reason}); replacing it ({Used} of {Total} replacements)")]
    private static partial void LogSiloReplacing(ILogger logger, int index, string name, string reason, int used, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Index} ({Name}) is back as attempt {Attempt}")]
    private static partial void LogSiloReplaced(ILogger logger, int index, string name, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Index} ({Name}) was removed: {Reason}")]
    private static partial void LogSiloRemoved(ILogger logger, int index, string name, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking the cluster's silos failed; retrying")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
