using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Cluster.Elasticity;

/// <summary>
/// Grows and shrinks a running cluster: more silos are one more submission to the backend (one more array job on
/// Batch) under the same cluster id, waited for like the launch; fewer are a graceful stop of chosen silos (they leave
/// the membership and their grains move before their compute ends). One resize at a time.
/// </summary>
internal sealed class ClusterResizer(
    ISiloBackend backend,
    SiloSettings settings,
    ClusterLaunchOptions options,
    ClusterHealthMonitor monitor,
    SiloJoinWaiter waiter,
    TimeProvider time) : IDisposable
{
    // How long a removed silo may take to end after its graceful stop was asked, beyond the grace period (Batch's
    // SIGTERM, then SIGKILL 30 s later, and the state change to show in DescribeJobs).
    private static readonly TimeSpan RemovalSlack = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<ClusterSilo>> AddAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var size = monitor.AliveCount + count;
            if (size > ClusterLaunchOptions.MaxSiloCount)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, $"The cluster would have {size} silos, more than {ClusterLaunchOptions.MaxSiloCount}.");
            }

            var started = time.GetTimestamp();
            var spec = new SiloLaunchSpec(options.ClusterId, count, settings with { ExpectedSilos = Math.Max(settings.ExpectedSilos ?? 0, size) })
            {
                Replacements = monitor.Replacements,
            };
            var launched = await backend.LaunchAsync(spec, cancellationToken).ConfigureAwait(false);
            monitor.TrackJoining(launched);
            ClusterLaunchSnapshot? snapshot = null;
            try
            {
                snapshot = await waiter.WaitAsync(launched, count, started, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterLaunchException exception)
            {
                snapshot = exception.Snapshot;
                throw;
            }
            finally
            {
                // Whatever joined is a member now; whatever did not is stopped so it neither joins late nor runs up a bill.
                var active = snapshot?.Silos.Where(s => s.IsActive).Select(s => s.Index).ToHashSet() ?? [];
                var stragglers = launched.Where(l => !active.Contains(l.Index)).Select(l => l.Index).ToList();
                if (stragglers.Count > 0)
                {
                    await backend.StopSilosAsync(stragglers, CancellationToken.None).ConfigureAwait(false);
                }

                foreach (var index in stragglers)
                {
                    monitor.MarkNotJoined(index);
                }

                foreach (var silo in snapshot?.Silos.Where(s => s.IsActive) ?? [])
                {
                    monitor.MarkJoined(new ClusterSilo(silo.Index, silo.Name, silo.SiloAddress!));
                }
            }

            var added = snapshot.Silos.Where(s => s.IsActive).Select(s => s.Index).ToHashSet();
            return [.. monitor.Live.Where(s => added.Contains(s.Index))];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<ClusterSilo>> RemoveAsync(IReadOnlyCollection<ClusterSilo> silos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silos);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var targets = monitor.BeginRemoval(silos);
            if (targets.Count == 0)
            {
                return [];
            }

            // Never cancelled half-way: a silo asked to leave leaves; the caller's token only stops the waiting.
            var indexes = targets.Select(t => t.Index).ToHashSet();
            await backend.StopSilosAsync(indexes, CancellationToken.None).ConfigureAwait(false);
            await WaitUntilEndedAsync(indexes, cancellationToken).ConfigureAwait(false);
            foreach (var silo in targets)
            {
                monitor.MarkRemoved(silo, "removed by the manager");
            }

            return targets;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<ClusterSilo>> RemoveAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        // The newest first: the silos added last are the ones a shrinking cluster gives back.
        var live = monitor.Live;
        if (count > live.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The cluster has {live.Count} live silo(s); it cannot remove {count}.");
        }

        return RemoveAsync([.. live.OrderByDescending(s => s.Index).Take(count)], cancellationToken);
    }

    private async Task WaitUntilEndedAsync(HashSet<int> indexes, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp();
        var limit = options.ShutdownGracePeriod + RemovalSlack;
        using var timer = new PeriodicTimer(options.PollInterval, time);
        while (time.GetElapsedTime(deadline) < limit)
        {
            var statuses = await backend.DescribeAsync(cancellationToken).ConfigureAwait(false);
            if (statuses.Where(s => indexes.Contains(s.Index)).All(s => s.State.IsTerminal()))
            {
                return;
            }

            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _gate.Dispose();
}
