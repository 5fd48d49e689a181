using System.Diagnostics;
using Orleans.Batch.Launcher.Grains.Echo;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// The throughput workload: <c>inFlight</c> callers, each awaiting one echo call after another. With one caller
/// the calls cycle over every echo grain; with many, caller <c>i</c> calls grain <c>i</c> (so no grain queues).
/// </summary>
internal static class EchoLoad
{
    /// <summary>Activates the echo grains (placement is random, so they spread over every silo).</summary>
    public static async Task ActivateAsync(IClusterClient client, int grains, CancellationToken cancellationToken)
    {
        var calls = Enumerable.Range(0, grains).Select(async key =>
        {
            var value = await client.GetGrain<IEchoGrain>(key).EchoAsync(key);
            if (value != key)
            {
                throw new InvalidOperationException($"Echo grain {key} answered {value}.");
            }
        });
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
    }

    /// <summary>Runs the callers for <paramref name="duration"/> and adds what happened to <paramref name="totals"/>.</summary>
    public static async Task RunAsync(IClusterClient client, int inFlight, int grains, TimeSpan duration, EchoTotals? totals, CancellationToken cancellationToken)
    {
        var latencies = new List<long>[inFlight];
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var callers = Enumerable.Range(0, inFlight).Select(caller => Task.Run(
            async () =>
            {
                var recorded = latencies[caller] = new List<long>(1024);
                var sequence = 0;
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var key = inFlight == 1 ? sequence % grains : caller % grains;
                    var before = Stopwatch.GetTimestamp();
                    var value = await client.GetGrain<IEchoGrain>(key).EchoAsync(sequence);
                    recorded.Add(Stopwatch.GetTimestamp() - before);
                    if (value != sequence)
                    {
                        throw new InvalidOperationException($"Echo grain {key} answered {value} to {sequence}.");
                    }

                    sequence++;
                }
            },
            cancellationToken));
        await Task.WhenAll(callers);
        totals?.Add(Stopwatch.GetElapsedTime(start), latencies);
    }
}

/// <summary>Calls and their latencies over several slices of one side's load.</summary>
internal sealed class EchoTotals
{
    private readonly List<double> _latenciesMs = [];
    private TimeSpan _elapsed;

    public long Calls => _latenciesMs.Count;

    public void Add(TimeSpan elapsed, IEnumerable<List<long>> latencies)
    {
        _elapsed += elapsed;
        _latenciesMs.AddRange(latencies.SelectMany(l => l).Select(t => t * 1000.0 / Stopwatch.Frequency));
    }

    public (double CallsPerSecond, double P50, double P99) Summarize()
    {
        if (_latenciesMs.Count == 0)
        {
            throw new InvalidOperationException("No echo call completed.");
        }

        var sorted = _latenciesMs.Order().ToArray();
        return (sorted.Length / _elapsed.TotalSeconds, Results.Stats.Quantile(sorted, 0.50), Results.Stats.Quantile(sorted, 0.99));
    }
}
