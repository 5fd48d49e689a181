namespace Orleans.Batch.Hosting.Cluster.Internal;

/// <summary>
/// Told about every cluster the host's <see cref="IBatchClusterLauncher"/> launches, once it is ready (for example the
/// dashboard a web host serves, which shows that cluster). Registered in the host's services.
/// </summary>
internal interface ILaunchedClusterSink
{
    /// <summary>The cluster is ready; <see cref="BatchCluster.Releasing"/> says when it stops being usable.</summary>
    void OnLaunched(BatchCluster cluster);
}
