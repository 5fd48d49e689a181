using Microsoft.Extensions.Logging;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>What every scenario needs.</summary>
internal sealed record ScenarioContext(
    HarnessPaths Paths,
    ILoggerFactory LoggerFactory,
    Measurements Measurements,
    BenchmarkSettings Settings,
    TextWriter Progress,
    CancellationToken CancellationToken)
{
    /// <summary>Launches a cluster of <paramref name="siloCount"/> silos on <paramref name="side"/>.</summary>
    public async Task<IBenchCluster> LaunchAsync(Side side, int siloCount, IReadOnlyDictionary<string, string>? oursSiloEnvironment = null) => side switch
    {
        Side.Ours => await OursCluster.LaunchAsync(siloCount, Paths, LoggerFactory, oursSiloEnvironment, Settings.KeepLogs, CancellationToken),
        _ => await BaselineCluster.LaunchAsync(siloCount, Paths, Settings.KeepLogs, CancellationToken),
    };

    public void Report(string message) => Progress.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
}
