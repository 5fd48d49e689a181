using System.Diagnostics;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>A starting point on the monotonic clock, with the wall-clock time it corresponds to (to place log lines).</summary>
internal readonly record struct Clock(long Start, DateTime WallStart)
{
    /// <summary>Starts now.</summary>
    public static Clock StartNew() => new(Stopwatch.GetTimestamp(), DateTime.Now);

    /// <summary>Time since the start.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Start);

    /// <summary>Where a wall-clock moment (e.g. a log line's timestamp) falls relative to the start.</summary>
    public TimeSpan Offset(DateTime wallTime) => wallTime - WallStart;
}
