using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Elasticity;
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
    private readonly ClusterResizer _resizer;
    private readonly IClusterLaunchObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal BatchCluster(
        string clusterId,
        IHost clientHost,
        IClusterMembership membership,
        ClusterTeardown teardown,
        ClusterHealthMonitor monitor,
        ClusterResizer resizer,
        IClusterLaunchObserver observer,
        TimeProvider time,
        ILogger logger)
    {
        _observer = observer;
        _time = time;
        _logger = logger;
        ClusterId = clusterId;
        Client = clientHost.Services.GetRequiredService<IClusterClient>();
        _membership = membership;
        _teardown = teardown;
        _monitor = monitor;
        _resizer = resizer;
        monitor.SiloAdded += e => SiloAdded?.Invoke(this, e);
        monitor.SiloLost += e => SiloLost?.Invoke(this, e);
        monitor.SiloRemoved += e => SiloRemoved?.Invoke(this, e);
    }

    /// <summary>
    /// A silo became an active member after the launch: one added by <see cref="AddSilosAsync"/>, or a lost silo's
    /// replacement back under its index and name (with a new address). Raised on the monitor's thread.
    /// </summary>
    public event EventHandler<ClusterSiloEventArgs>? SiloAdded;

    /// <summary>
    /// A silo died or stopped without being asked; <see cref="ClusterSiloEventArgs.Replacing"/> says whether a
    /// replacement is on its way. Raised on the monitor's thread.
    /// </summary>
    public event EventHandler<ClusterSiloEventArgs>? SiloLost;

    /// <summary>A silo removed by <see cref="RemoveSilosAsync(IEnumerable{ClusterSilo}, CancellationToken)"/> has left and stopped.</summary>
    public event EventHandler<ClusterSiloEventArgs>? SiloRemoved;

    /// <summary>The cluster id (Orleans ClusterId).</summary>
    public string ClusterId { get; }

    /// <summary>The manager's Orleans client.</summary>
    public IClusterClient Client { get; }

    /// <summary>
    /// Every silo that has been an active member, by index, with its latest address: the launch's, then those added
    /// since (including silos since lost or removed). Julia's <c>procs()</c>.
    /// </summary>
    public IReadOnlyList<ClusterSilo> Silos => _monitor.Ever;

    /// <summary>The silos that died or stopped since the launch and were not replaced, with what the backend and the membership table say.</summary>
    public IReadOnlyList<LostSilo> LostSilos => _monitor.Lost;

    /// <summary>The silos removed by the manager.</summary>
    public IReadOnlyList<ClusterSilo> RemovedSilos => _monitor.Removed;

    /// <summary>The active members now: Julia's <c>workers()</c>. A silo being replaced is back here once its new attempt is active.</summary>
    public IReadOnlyList<ClusterSilo> LiveSilos => _monitor.Live;

    /// <summary>How many lost silos the cluster may replace over its life (<c>--replace-lost</c>).</summary>
    public int ReplacementBudget => _monitor.Replacements.Total;

    /// <summary>How many lost silos it has replaced so far.</summary>
    public int ReplacementsUsed => _monitor.Replacements.Used;

    /// <summary>
    /// Adds <paramref name="count"/> silos to the running cluster (Julia's <c>addprocs</c>, Dask's <c>scale</c>): one more
    /// submission to the backend under the same cluster id and tags, waited for with the launch's progress and timeout.
    /// Returns the silos that joined. Throws <see cref="ClusterLaunchException"/> when some did not join within the
    /// launch timeout (those are stopped; those that joined stay).
    /// </summary>
    public Task<IReadOnlyList<ClusterSilo>> AddSilosAsync(int count, CancellationToken cancellationToken = default) =>
        _resizer.AddAsync(count, cancellationToken);

    /// <summary>
    /// Removes chosen silos gracefully (Julia's <c>rmprocs</c>): each leaves the membership (its grains deactivate and
    /// activate again elsewhere on their next call), then its compute is stopped. Throws
    /// <see cref="InvalidOperationException"/> when one is not live or the rest would be fewer than the minimum.
    /// </summary>
    public Task<IReadOnlyList<ClusterSilo>> RemoveSilosAsync(IEnumerable<ClusterSilo> silos, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silos);
        return _resizer.RemoveAsync([.. silos], cancellationToken);
    }

    /// <summary>Removes <paramref name="count"/> live silos gracefully, the most recently added first (Dask's <c>scale</c> down).</summary>
    public Task<IReadOnlyList<ClusterSilo>> RemoveNewestSilosAsync(int count, CancellationToken cancellationToken = default) =>
        _resizer.RemoveAsync(count, cancellationToken);

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

    /// <summary>
    /// Scales the cluster with its load from now on (Dask's <c>adapt</c>): silos are added while they are busy and the
    /// newest removed while they are idle, within <see cref="AdaptiveScalingOptions.Minimum"/>..<see
    /// cref="AdaptiveScalingOptions.Maximum"/>. Dispose the result to stop; tear-down stops it too.
    /// </summary>
    public IAsyncDisposable Adapt(AdaptiveScalingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var autoscaler = new ClusterAutoscaler(this, options, _observer, _time, _logger);
        if (!_teardown.TryAttach(autoscaler))
        {
            throw new InvalidOperationException("The cluster already adapts to its load (or is torn down); dispose the first Adapt before starting another.");
        }

        return autoscaler;
    }

    /// <summary>The silos that are active members right now, from the membership table.</summary>
    public async Task<IReadOnlyList<ClusterSilo>> GetActiveSilosAsync(CancellationToken cancellationToken = default)
    {
        var table = await _membership.ReadAsync(cancellationToken).ConfigureAwait(false);
        var active = table.Members
            .Select(m => m.Item1)
            .Where(e => e.Status == SiloStatus.Active)
            .GroupBy(e => e.SiloName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(e => e.SiloAddress.Generation)!, StringComparer.Ordinal);
        return [.. Silos
            .Where(s => active.ContainsKey(s.Name))
            .Select(s => s with { Address = active[s.Name].SiloAddress })];
    }

    /// <summary>
    /// Tears the cluster down now and reports what happened. <paramref name="force"/> cuts the graceful
    /// phase short.
    /// </summary>
    public Task<ClusterTeardownReport> ShutdownAsync(string reason = "the workload finished", CancellationToken force = default)
    {
        // Before anything stops: whoever serves this cluster (a dashboard) stops calling it first.
        Interlocked.Exchange(ref Releasing, null)?.Invoke(this);
        return _teardown.RunAsync(reason, force);
    }

    /// <summary>Raised once, when tear-down begins.</summary>
    internal event Action<BatchCluster>? Releasing;

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);
}
