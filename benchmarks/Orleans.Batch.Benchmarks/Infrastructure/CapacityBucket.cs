using System.Diagnostics;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>
/// One partition's read or write capacity as a token bucket: it refills at the limit per second up to one second's
/// worth, every answered request takes its consumed units (the bucket can go into debt, since a request's cost is
/// known only once it is answered), and requests are refused while it is in debt. Requests in flight together
/// cannot all slip through one second's check, as they could with a per-second counter.
/// </summary>
internal sealed class CapacityBucket
{
    private readonly Lock _gate = new();
    private readonly double _unitsPerSecond;
    private double _tokens;
    private long _refilledAt = Stopwatch.GetTimestamp();

    public CapacityBucket(double unitsPerSecond)
    {
        _unitsPerSecond = unitsPerSecond;
        _tokens = unitsPerSecond;
    }

    /// <summary>True when a request may go ahead now.</summary>
    public bool TryAdmit()
    {
        lock (_gate)
        {
            Refill();
            return _tokens > 0;
        }
    }

    /// <summary>Takes what an answered request consumed.</summary>
    public void Charge(double units)
    {
        lock (_gate)
        {
            Refill();
            _tokens -= units;
        }
    }

    private void Refill()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_unitsPerSecond, _tokens + (Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds * _unitsPerSecond));
        _refilledAt = now;
    }
}
