namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>What the counting proxy passed in one second (or a sum of seconds): capacity units, requests, throttles.</summary>
internal sealed class CapacitySecond
{
    private readonly Lock _gate = new();

    public double ReadUnits { get; private set; }

    public double WriteUnits { get; private set; }

    public long Requests { get; private set; }

    public long Throttled { get; private set; }

    public void Count(double readUnits = 0, double writeUnits = 0, long requests = 0, long throttled = 0)
    {
        lock (_gate)
        {
            ReadUnits += readUnits;
            WriteUnits += writeUnits;
            Requests += requests;
            Throttled += throttled;
        }
    }

    public CapacitySecond Plus(CapacitySecond other)
    {
        var sum = new CapacitySecond();
        sum.Count(ReadUnits + other.ReadUnits, WriteUnits + other.WriteUnits, Requests + other.Requests, Throttled + other.Throttled);
        return sum;
    }
}
