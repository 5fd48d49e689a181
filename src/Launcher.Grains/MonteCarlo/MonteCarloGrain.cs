using Orleans.Batch.Grains.Placement;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Orleans.Batch.Launcher.Grains.MonteCarlo;

/// <summary>
/// One activation per silo (placed by name); reentrant so a silo works on several chunks at once, each on a
/// thread-pool thread rather than the grain's scheduler, to use every core of the silo's machine.
/// </summary>
[SiloTargetedPlacement]
[Reentrant]
public sealed class MonteCarloGrain(ILocalSiloDetails silo) : Grain, IMonteCarloGrain
{
    /// <inheritdoc />
    public async Task<MonteCarloChunk> SampleAsync(int chunk, long samples, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var inside = await Task.Run(() => CountInside(samples, seed, cancellationToken), cancellationToken);
        return new MonteCarloChunk(chunk, samples, inside, silo.Name);
    }

    /// <summary>The deterministic count for a seed, so an estimate is reproducible wherever its chunks ran.</summary>
    public static long CountInside(long samples, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        long inside = 0;
        for (long i = 0; i < samples; i++)
        {
            if ((i & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var x = random.NextDouble();
            var y = random.NextDouble();
            if ((x * x) + (y * y) <= 1.0)
            {
                inside++;
            }
        }

        return inside;
    }
}
