using System.Collections.Concurrent;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>Polls /proc every few milliseconds and records when each watched process is gone.</summary>
internal sealed class ProcessExitWatch : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);
    private readonly ConcurrentDictionary<int, TimeSpan> _gone = new();
    private readonly IReadOnlyList<int> _processIds;
    private readonly Clock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessExitWatch(IReadOnlyList<int> processIds, Clock clock)
    {
        _processIds = processIds;
        _clock = clock;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>When each process was first seen gone, relative to the clock.</summary>
    public IReadOnlyDictionary<int, TimeSpan> Gone => _gone;

    /// <summary>Waits until every process is gone; returns when the last one went, or null on timeout.</summary>
    public async Task<TimeSpan?> WaitAllGoneAsync(TimeSpan timeout)
    {
        var deadline = _clock.Elapsed + timeout;
        while (_gone.Count < _processIds.Count)
        {
            if (_clock.Elapsed > deadline)
            {
                return null;
            }

            await Task.Delay(Period);
        }

        return _gone.Values.Max();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested && _gone.Count < _processIds.Count)
        {
            foreach (var pid in _processIds)
            {
                if (!_gone.ContainsKey(pid) && !ProcessTable.IsRunning(pid))
                {
                    _gone.TryAdd(pid, _clock.Elapsed);
                }
            }

            await Task.Delay(Period, _stop.Token);
        }
    }
}
