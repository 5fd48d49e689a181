namespace Orleans.Batch.Benchmarks.Results;

/// <summary>Order statistics of a set of samples.</summary>
/// <param name="Count">How many samples.</param>
/// <param name="Median">The median.</param>
/// <param name="Min">The smallest.</param>
/// <param name="Max">The largest.</param>
/// <param name="Q1">The first quartile (linear interpolation).</param>
/// <param name="Q3">The third quartile (linear interpolation).</param>
internal sealed record Stats(int Count, double Median, double Min, double Max, double Q1, double Q3)
{
    public static Stats? Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Order().ToArray();
        return new Stats(sorted.Length, Quantile(sorted, 0.5), sorted[0], sorted[^1], Quantile(sorted, 0.25), Quantile(sorted, 0.75));
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolating between neighbours.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 1)
        {
            return sorted[0];
        }

        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
