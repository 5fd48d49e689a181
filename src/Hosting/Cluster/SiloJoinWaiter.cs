using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Membership;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Waits for launched silos to become active members, reporting progress on every poll and saying why silos wait to
/// start: the launch's wait, and the same for silos added to a running cluster.
/// </summary>
internal sealed partial class SiloJoinWaiter(
    ISiloBackend backend,
    IClusterMembership membership,
    ClusterLaunchOptions options,
    IClusterLaunchObserver observer,
    TimeProvider time,
    ILogger logger)
{
    private readonly ISiloBackend _backend = backend;
    private readonly IClusterMembership _membership = membership;
    private readonly ClusterLaunchOptions _options = options;
    private readonly IClusterLaunchObserver _observer = observer;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
    private IReadOnlyList<SiloBackendStatus> _lastStatuses = [];
    private long? _waitingSince;
    private long? _lastDiagnosis;
    private HashSet<string> _diagnosed = [];

    /// <summary>
    /// Waits until every silo of <paramref name="launched"/> is active, or at least <paramref name="minSilos"/> once
    /// the launch timeout passes (then stops the stragglers); throws <see cref="ClusterLaunchException"/> when that
    /// many can no longer become active.
    /// </summary>
    public async Task<ClusterLaunchSnapshot> WaitAsync(IReadOnlyList<LaunchedSilo> launched, int minSilos, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        var failing = false;
        while (true)
        {
            ClusterLaunchSnapshot snapshot;
            try
            {
                snapshot = await ObserveAsync(launched, minSilos, started, cancellationToken).ConfigureAwait(false);
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

            if (snapshot.ActiveCount >= launched.Count)
            {
                return snapshot;
            }

            if (snapshot.PossibleCount < minSilos)
            {
                throw new ClusterLaunchException(
                    $"Only {snapshot.PossibleCount} of the {launched.Count} silos can still become active, fewer than the minimum of {minSilos}.",
                    snapshot);
            }

            // Nothing left to wait for: every silo that has not joined has failed for good.
            if (snapshot.ActiveCount == snapshot.PossibleCount)
            {
                _observer.OnWarning(
                    $"{snapshot.Silos.Count - snapshot.ActiveCount} of {launched.Count} silos failed; going on with the {snapshot.ActiveCount} active (minimum {minSilos}).");
                return snapshot;
            }

            if (snapshot.Elapsed >= _options.LaunchTimeout)
            {
                if (snapshot.ActiveCount < minSilos)
                {
                    throw new ClusterLaunchException(
                        $"Timed out after {DurationText.Format(_options.LaunchTimeout)} (--timeout) with {snapshot.ActiveCount} of {launched.Count} silos active; at least {minSilos} were required.",
                        snapshot);
                }

                // Going on with fewer: stop the stragglers so they neither join late nor run up a bill.
                var stragglers = snapshot.Silos.Where(s => !s.IsActive).Select(s => s.Index).ToList();
                _observer.OnWarning(
                    $"Timed out after {DurationText.Format(_options.LaunchTimeout)} with {snapshot.ActiveCount} of {launched.Count} silos active (minimum {minSilos}); going on with those and stopping the other {stragglers.Count}.");
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

    private async Task<ClusterLaunchSnapshot> ObserveAsync(IReadOnlyList<LaunchedSilo> launched, int minSilos, long started, CancellationToken cancellationToken)
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
        return new ClusterLaunchSnapshot(_options.ClusterId, silos, _time.GetElapsedTime(started), _options.LaunchTimeout, minSilos);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the silos' state failed; retrying")]
    private static partial void LogObserveFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading the silos' state works again")]
    private static partial void LogObserveRecovered(ILogger logger);
}
