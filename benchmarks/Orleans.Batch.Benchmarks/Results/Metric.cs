namespace Orleans.Batch.Benchmarks.Results;

/// <summary>One row of the results: what is measured, in which unit, and which way is better.</summary>
/// <param name="Key">A stable identifier (the JSON <c>id</c>).</param>
/// <param name="Name">The row's name in the table.</param>
/// <param name="Unit">The unit of the values.</param>
/// <param name="HigherIsBetter">True for throughput; false for times, latencies and memory.</param>
/// <param name="Target">The ratio we work towards, e.g. "≤ 0.8 × baseline", or null.</param>
/// <param name="SamplesPerRun">Samples one run gives (one per silo process for per-process rows).</param>
internal sealed record Metric(string Key, string Name, string Unit, bool HigherIsBetter = false, string? Target = null, int SamplesPerRun = 1);
