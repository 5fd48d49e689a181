using System.Globalization;
using Orleans.Batch.Launcher.Grains.MonteCarlo;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>What the Monte Carlo workload prints as its estimate, wherever its chunks ran: each chunk has its own seed.</summary>
internal static class MonteCarloAnswer
{
    public static string Expected(long samples, int chunks, int seed = 1)
    {
        long inside = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var size = samples / chunks + (chunk < samples % chunks ? 1 : 0);
            inside += MonteCarloGrain.CountInside(size, unchecked((seed * 7919) + chunk), CancellationToken.None);
        }

        return (4.0 * inside / samples).ToString("F8", CultureInfo.InvariantCulture);
    }
}
