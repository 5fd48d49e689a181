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
    /// <see cref="TeardownRequest.GracePeriod"/> has passed or <paramref name="force"/> is cancelled. Keeps trying
    /// (with backoff) for up to <see cref="TeardownRequest.GiveUpAfter"/> and reports in
    /// <see cref="TeardownOutcome.StillRunning"/> whatever it could not confirm as ended. Never throws for silos that
    /// already ended.
    /// </summary>
    /// <param name="request">Grace period, how long to keep trying, and where to report waits.</param>
    /// <param name="force">Cuts the graceful stop short, and a second time the retries (e.g. a second Ctrl+C).</param>
    /// <returns>What was done, and what is left.</returns>
    Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken force);
}
