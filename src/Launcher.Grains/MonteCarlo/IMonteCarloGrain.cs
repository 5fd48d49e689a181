namespace Orleans.Batch.Launcher.Grains.MonteCarlo;

/// <summary>
/// Draws random points in the unit square and counts those inside the quarter circle: one chunk of a
/// Monte Carlo estimate of π, computed on the silo the grain key names.
/// </summary>
public interface IMonteCarloGrain : IGrainWithStringKey
{
    /// <summary>Computes chunk <paramref name="chunk"/>: <paramref name="samples"/> points from a generator seeded with <paramref name="seed"/>.</summary>
    Task<MonteCarloChunk> SampleAsync(int chunk, long samples, int seed, CancellationToken cancellationToken = default);
}
