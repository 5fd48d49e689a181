using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Internal;

namespace Orleans.Batch.Application.Dashboard;

/// <summary>
/// The cluster a dashboard shows: empty until a cluster is ready, emptied when its tear-down begins, so the page says
/// the cluster is gone instead of calling a client that is shutting down.
/// </summary>
internal sealed class DashboardClusterSlot : ILaunchedClusterSink
{
    private IClusterClient? _client;

    /// <summary>The client of the cluster shown, or null while there is none.</summary>
    public IClusterClient? Client => Volatile.Read(ref _client);

    /// <summary>Shows <paramref name="client"/>'s cluster from now on.</summary>
    public void Attach(IClusterClient client) => Volatile.Write(ref _client, client);

    /// <summary>Shows no cluster.</summary>
    public void Detach() => Volatile.Write(ref _client, null);

    /// <summary>A cluster the host launched: shown until its tear-down begins (or the next one is launched).</summary>
    public void OnLaunched(BatchCluster cluster)
    {
        var client = cluster.Client;
        Attach(client);
        cluster.Releasing += _ => Interlocked.CompareExchange(ref _client, null, client);
    }
}
