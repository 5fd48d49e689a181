using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// A running cluster, as the manager's user code sees it: the Orleans client, the live silos, and a way to
/// call a grain on a chosen silo. Disposing it tears the cluster down (silos stopped, membership rows deleted).
/// </summary>
public sealed class BatchCluster : IAsyncDisposable
{
    private readonly IClusterMembership _membership;
    private readonly ClusterTeardown _teardown;
    private readonly ClusterHealthMonitor _monitor;

    internal BatchCluster(string clusterId, IHost clientHost, IReadOnlyList<ClusterSilo> silos, IClusterMembership membership, ClusterTeardown teardown, ClusterHealthMonitor monitor)
    {
        ClusterId = clusterId;
        Client = clientHost.Services.GetRequiredService<IClusterClient>();
        Silos = silos;
        _membership = membership;
        _teardown = teardown;
        _monitor = monitor;
    }

    /// <summary>The cluster id (Orleans ClusterId).</summary>
    public string ClusterId { get; }

    /// <summary>The manager's Orleans client.</summary>
    public IClusterClient Client { get; }

    /// <summary>The silos that were active when the launch completed, by index: Julia's <c>workers()</c>.</summary>
    public IReadOnlyList<ClusterSilo> Silos { get; }

    /// <summary>The silos that died or stopped since the launch, with what the backend and the membership table say.</summary>
    public IReadOnlyList<LostSilo> LostSilos => _monitor.Lost;

    /// <summary>The launched silos not (yet) known to be lost.</summary>
    public IReadOnlyList<ClusterSilo> LiveSilos
    {
        get
        {
            var lost = _monitor.Lost.Select(l => l.Silo.Index).ToHashSet();
            return [.. Silos.Where(s => !lost.Contains(s.Index))];
        }
    }

    /// <summary>
    /// Cancelled once fewer than the minimum number of silos (<c>--silos MIN:MAX</c>) are alive; link it to your
    /// workload's token so it stops with <see cref="DegradedReason"/> instead of waiting on silos that are gone.
    /// </summary>
    public CancellationToken Degraded => _monitor.Degraded;

    /// <summary>Why the cluster is degraded, once <see cref="Degraded"/> is cancelled.</summary>
    public string? DegradedReason => _monitor.DegradedReason;

    /// <summary>
    /// A reference to the grain of type <typeparamref name="TGrain"/> that runs on <paramref name="silo"/>.
    /// The grain class must carry <c>[SiloTargetedPlacement]</c> (Orleans.Batch.Grains.Placement): its key is
    /// the silo name. This is Julia's <c>remotecall_fetch(f, worker)</c>.
    /// </summary>
    public TGrain GetGrainOnSilo<TGrain>(ClusterSilo silo)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Client.GetGrain<TGrain>(silo.Name);
    }

    /// <summary>The silos that are active members right now, from the membership table.</summary>
    public async Task<IReadOnlyList<ClusterSilo>> GetActiveSilosAsync(CancellationToken cancellationToken = default)
    {
        var table = await _membership.ReadAsync(cancellationToken).ConfigureAwait(false);
        var active = table.Members
            .Select(m => m.Item1)
            .Where(e => e.Status == SiloStatus.Active)
            .ToDictionary(e => e.SiloName, StringComparer.Ordinal);
        return Silos
            .Where(s => active.ContainsKey(s.Name))
            .Select(s => s with { Address = active[s.Name].SiloAddress })
            .ToList();
    }

    /// <summary>
    /// Tears the cluster down now and reports what happened. <paramref name="force"/> cuts the graceful
    /// phase short.
    /// </summary>
    public Task<ClusterTeardownReport> ShutdownAsync(string reason = "the workload finished", CancellationToken force = default) =>
        _teardown.RunAsync(reason, force);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);
}
