using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>
/// The clusters this tool knows about: the partitions of one membership store, joined with the active tagged jobs
/// of one Batch queue (optional), each judged live or orphaned.
/// </summary>
/// <remarks>
/// A cluster is orphaned when its lease has expired, or when it has no lease and shows no other sign of life: no
/// silo heartbeat and no job created within <see cref="NoLeaseQuietPeriod"/>, and no job saying that its membership
/// is kept in another store (another table or endpoint: its lease would be there, out of sight).
/// </remarks>
internal sealed class ClusterInventory(IClusterPartitionCatalog partitions, ClusterJobFinder? jobs, string? queue, TimeProvider timeProvider)
{
    /// <summary>How long a cluster without a lease must have been quiet before it counts as orphaned: 10 minutes.</summary>
    public static readonly TimeSpan NoLeaseQuietPeriod = TimeSpan.FromMinutes(10);

    /// <summary>The store the partitions are read from.</summary>
    public IClusterPartitionCatalog Partitions => partitions;

    /// <summary>Reads the store (and the queue) and judges every cluster.</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The clusters, most recently seen first.</returns>
    public async Task<IReadOnlyList<ClusterRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        var stored = await partitions.ListAsync(cancellationToken).ConfigureAwait(false);
        var found = jobs is not null && queue is not null ? await jobs.FindAsync(queue, cancellationToken).ConfigureAwait(false) : [];
        var now = timeProvider.GetUtcNow();
        var byCluster = found.ToLookup(j => j.ClusterId, StringComparer.Ordinal);
        var partitionsById = stored.ToDictionary(p => p.ClusterId, StringComparer.Ordinal);
        var records = new List<ClusterRecord>();
        foreach (var id in partitionsById.Keys.Union(byCluster.Select(g => g.Key), StringComparer.Ordinal))
        {
            var record = Assess(id, partitionsById.GetValueOrDefault(id), [.. byCluster[id]], now);
            if (jobs is not null && queue is not null && record.Jobs.Any(j => j.RunnableCount > 0))
            {
                record = record with { Waiting = await jobs.DiagnoseWaitingAsync(queue, record.Jobs, cancellationToken).ConfigureAwait(false) };
            }

            records.Add(record);
        }

        return [.. records.OrderByDescending(r => r.LastSeen).ThenBy(r => r.ClusterId, StringComparer.Ordinal)];
    }

    /// <summary>Judges one cluster at <paramref name="now"/>.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="partition">Its partition, if the store has one.</param>
    /// <param name="clusterJobs">Its active jobs.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The record.</returns>
    public ClusterRecord Assess(string clusterId, ClusterPartition? partition, IReadOnlyList<ClusterJob> clusterJobs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(clusterJobs);
        if (partition?.Lease is { } lease)
        {
            var age = now - lease.RenewedAt;
            if (lease.Abandoned)
            {
                return new ClusterRecord(clusterId, partition, clusterJobs, ClusterLeaseState.Abandoned, age, true,
                    "abandoned: its manager's tear-down gave up; jobs may still run");
            }

            if (!lease.IsExpired(now) && ManagerProcessIdentity.IsHolderAlive(lease) == false)
            {
                return new ClusterRecord(clusterId, partition, clusterJobs, ClusterLeaseState.Expired, age, true,
                    $"lease holder gone: manager process {lease.ProcessId} on this host has exited");
            }

            return lease.IsExpired(now)
                ? new ClusterRecord(clusterId, partition, clusterJobs, ClusterLeaseState.Expired, age, true,
                    $"lease expired: not renewed for {Format(age)} (timeout {Format(lease.Timeout)})")
                : new ClusterRecord(clusterId, partition, clusterJobs, ClusterLeaseState.Live, age, false,
                    $"lease live: renewed {Format(age)} ago");
        }

        // Without a lease, only the absence of any sign of life makes a cluster an orphan.
        var youngestJob = clusterJobs.Where(j => j.CreatedAt is not null).Select(j => now - j.CreatedAt!.Value).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        string? alive = null;
        if (partition?.LastHeartbeat is { } heartbeat && now - heartbeat < NoLeaseQuietPeriod)
        {
            alive = $"no lease, but a silo heartbeat {Format(now - heartbeat)} ago";
        }
        else if (youngestJob < NoLeaseQuietPeriod)
        {
            alive = $"no lease, but a job created {Format(youngestJob)} ago";
        }
        else if (clusterJobs.FirstOrDefault(j => partitions.KeepsMembershipOf(j.SiloConfiguration) == false) is { } elsewhere)
        {
            alive = $"no lease here: job {elsewhere.JobId} keeps its membership in another store{Describe(elsewhere)}";
        }

        return alive is not null
            ? new ClusterRecord(clusterId, partition, clusterJobs, ClusterLeaseState.None, null, false, alive)
            : new ClusterRecord(clusterId, partition, clusterJobs, ClusterLeaseState.None, null, true,
                $"no lease, and quiet for over {Format(NoLeaseQuietPeriod)}");
    }

    /// <summary>A short duration: <c>45s</c>, <c>12m</c>, <c>3h</c>, <c>2d</c>.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan duration)
    {
        var d = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        return d.TotalSeconds < 120 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 120 ? $"{(int)d.TotalMinutes}m"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h"
            : $"{(int)d.TotalDays}d";
    }

    private static string Describe(ClusterJob job) =>
        job.SiloConfiguration.TryGetValue(Configuration.SiloSettings.Keys.DynamoDBTableName, out var table)
            ? $" (table {table})"
            : string.Empty;
}
