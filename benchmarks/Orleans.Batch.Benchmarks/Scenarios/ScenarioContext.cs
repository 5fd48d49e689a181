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
    /// <param name="side">Ours or the baseline.</param>
    /// <param name="siloCount">How many silos.</param>
    /// <param name="oursSiloEnvironment">Extra environment of ours' silos (diagnostics only).</param>
    /// <param name="oursTable">Ours' membership table; null for the file table.</param>
    /// <param name="oursTls">Ours with cluster TLS.</param>
    /// <param name="oursDashboard">Ours' silos publish the dashboard's statistics.</param>
    public async Task<IBenchCluster> LaunchAsync(Side side, int siloCount, IReadOnlyDictionary<string, string>? oursSiloEnvironment = null, OursMembership? oursTable = null, bool oursTls = false, bool oursDashboard = false) => side switch
    {
        Side.Ours => await OursCluster.LaunchAsync(siloCount, Paths, LoggerFactory, oursSiloEnvironment, Settings.KeepLogs, oursTable, CancellationToken, oursTls, oursDashboard),
        _ => await BaselineCluster.LaunchAsync(siloCount, Paths, Settings.KeepLogs, CancellationToken),
    };

    public void Report(string message) => Progress.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
}
