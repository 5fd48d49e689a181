using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster.Elasticity;

/// <summary>
/// Scales a running cluster with its load: every <see cref="AdaptiveScalingOptions.Interval"/> it reads the live silos'
/// runtime statistics through the management grain; busy silos (average CPU at or above the threshold, or any
/// overloaded) make it add up to half as many again; silos idle for a while make it remove the newest, half of what
/// is above the minimum at a time. One change per cooldown; never outside minimum..maximum.
/// </summary>
internal sealed partial class ClusterAutoscaler : IAsyncDisposable
{
    private readonly BatchCluster _cluster;
    private readonly AdaptiveScalingOptions _options;
    private readonly IClusterLaunchObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long? _lastChange;
    private long? _idleSince;
    private int _disposed;

    public ClusterAutoscaler(BatchCluster cluster, AdaptiveScalingOptions options, IClusterLaunchObserver observer, TimeProvider time, ILogger logger)
    {
        _cluster = cluster;
        _options = options;
        _observer = observer;
        _time = time;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>What the last look saw, for the person watching: <c>CPU 93 %, 1,234 activations on 2 silos</c>.</summary>
    public string? LastLoad { get; private set; }

    /// <summary>Looks once and changes the cluster's size if the load says so (also used by the loop).</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var live = _cluster.LiveSilos;
        if (live.Count < _options.Minimum)
        {
            // Lost silos beyond what replacement covers: back to the minimum, cooldown or not.
            await ChangeAsync(_options.Minimum - live.Count, $"{live.Count} live, below the minimum of {_options.Minimum}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var statistics = await management.GetRuntimeStatistics([.. live.Select(s => s.Address)], cancellationToken).ConfigureAwait(false);
        if (statistics.Length == 0)
        {
            return;
        }

        // The raw reading: the filtered one trails a burst of work by tens of seconds; the cooldown and the idle time smooth instead.
        var cpu = statistics.Average(s => s.EnvironmentStatistics.RawCpuUsagePercentage);
        var overloaded = statistics.Count(s => s.IsOverloaded);
        var activations = statistics.Sum(s => s.ActivationCount);
        var load = string.Create(CultureInfo.InvariantCulture, $"CPU {cpu:0} %, {activations:N0} activations{(overloaded > 0 ? $", {overloaded} overloaded" : "")} on {live.Count} silos");
        LastLoad = load;
        LogLoad(_logger, load);

        var busy = cpu >= _options.ScaleUpCpuPercent || overloaded > 0;
        var idle = cpu <= _options.ScaleDownCpuPercent && overloaded == 0;
        _idleSince = idle ? _idleSince ?? _time.GetTimestamp() : null;
        if (_lastChange is { } last && _time.GetElapsedTime(last) < _options.Cooldown)
        {
            return;
        }

        if (busy && live.Count < _options.Maximum)
        {
            var add = Math.Min(_options.Maximum - live.Count, Math.Max(1, live.Count / 2));
            await ChangeAsync(add, load, cancellationToken).ConfigureAwait(false);
        }
        else if (idle && live.Count > _options.Minimum && _time.GetElapsedTime(_idleSince!.Value) >= _options.ScaleDownAfter)
        {
            var remove = Math.Max(1, (live.Count - _options.Minimum) / 2);
            await ChangeAsync(-remove, load + $", idle for {DurationText.Format(_time.GetElapsedTime(_idleSince.Value))}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ChangeAsync(int delta, string why, CancellationToken cancellationToken)
    {
        var before = _cluster.LiveSilos.Count;
        _observer.OnInfo(delta > 0
            ? $"adaptive: {why}; adding {delta} silo(s) ({before} → {before + delta}, at most {_options.Maximum})"
            : $"adaptive: {why}; removing {-delta} silo(s) ({before} → {before + delta}, at least {_options.Minimum})");
        try
        {
            if (delta > 0)
            {
                await _cluster.AddSilosAsync(delta, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _cluster.RemoveNewestSilosAsync(-delta, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is ClusterLaunchException or InvalidOperationException)
        {
            // A growth that did not (fully) join, or a shrink refused: said, and judged again after the cooldown.
            _observer.OnWarning($"adaptive: {exception.Message}");
        }
        finally
        {
            _lastChange = _time.GetTimestamp();
            _idleSince = null;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await EvaluateAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A failed look (a silo going away mid-call) is retried on the next tick.
                    LogEvaluateFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // Stopped by its owner and again by tear-down: the second time is a no-op.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            await _loop.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster load: {Load}")]
    private static partial void LogLoad(ILogger logger, string load);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the cluster's load failed; trying again")]
    private static partial void LogEvaluateFailed(ILogger logger, Exception exception);
}
