using System.Diagnostics;
using System.Globalization;

namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>
/// Where simulated silos' membership transitions spend their time: waiting for the turn, holding it, and within it
/// the table read and the compare-and-swap write. Shared by all silos of one size; thread-safe.
/// </summary>
internal sealed class TransitionTimings
{
    private readonly long[] _ticks = new long[4];
    private readonly long[] _counts = new long[4];

    public enum Phase
    {
        Wait,
        Hold,
        Read,
        Write,
    }

    public void Add(Phase phase, long from, long to)
    {
        Interlocked.Add(ref _ticks[(int)phase], to - from);
        Interlocked.Increment(ref _counts[(int)phase]);
    }

    /// <summary>The mean of a phase in milliseconds (0 when it never happened).</summary>
    public double MeanMilliseconds(Phase phase)
    {
        var count = Interlocked.Read(ref _counts[(int)phase]);
        return count == 0 ? 0 : Interlocked.Read(ref _ticks[(int)phase]) * 1000.0 / Stopwatch.Frequency / count;
    }

    public long Count(Phase phase) => Interlocked.Read(ref _counts[(int)phase]);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count(Phase.Hold)} transitions: waited {MeanMilliseconds(Phase.Wait) / 1000:0.0} s for the turn on average, held it {MeanMilliseconds(Phase.Hold):0} ms (read {MeanMilliseconds(Phase.Read):0} ms, write {MeanMilliseconds(Phase.Write):0} ms)");
}
