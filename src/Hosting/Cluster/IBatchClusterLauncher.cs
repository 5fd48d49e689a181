namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Launches clusters from any host (a worker service, an ASP.NET app, a test) with the settings of
/// <see cref="BatchClusterOptions"/>: the same composition as the command line. Register it with
/// <see cref="OrleansBatchClusterExtensions.AddOrleansBatchCluster"/>.
/// </summary>
public interface IBatchClusterLauncher
{
    /// <summary>
    /// Launches a cluster and returns once at least the minimum number of silos is active and the client is connected.
    /// Dispose the cluster (or call <see cref="BatchCluster.ShutdownAsync"/>) to release it; whatever is still running
    /// when the host stops is released then.
    /// </summary>
    /// <param name="observer">Receives progress and warnings; null for the registered one, if any.</param>
    /// <param name="cancellationToken">Cancels the launch, which then tears down what was started.</param>
    /// <returns>The cluster.</returns>
    /// <exception cref="ClusterLaunchException">Too few silos became active; everything launched was released.</exception>
    Task<BatchCluster> LaunchAsync(IClusterLaunchObserver? observer = null, CancellationToken cancellationToken = default);
}
