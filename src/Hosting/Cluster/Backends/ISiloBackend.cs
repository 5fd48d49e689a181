namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>
/// Starts, watches and stops the compute that runs a cluster's silos: local processes, or AWS Batch jobs.
/// A backend only ever stops what it launched itself.
/// </summary>
public interface ISiloBackend : IAsyncDisposable
{
    /// <summary>The backend's name as the <c>--backend</c> flag spells it.</summary>
    string Name { get; }

    /// <summary>Launches the silos. On failure, whatever was launched is still stopped by <see cref="TerminateAllAsync"/>.</summary>
    Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken);

    /// <summary>Reports every launched silo's state.</summary>
    Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Stops some silos (those that did not join in time) and leaves the others running.</summary>
    Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken);

    /// <summary>
    /// Stops everything this backend launched: a graceful stop first, a forced one once
    /// <paramref name="gracePeriod"/> has passed or <paramref name="cancellationToken"/> is cancelled.
    /// Never throws for silos that already ended.
    /// </summary>
    Task<TeardownOutcome> TerminateAllAsync(TimeSpan gracePeriod, CancellationToken cancellationToken);
}
