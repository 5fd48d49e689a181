using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Membership;

namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>
/// Releases orphaned clusters: for each cluster judged orphaned by <see cref="ClusterInventory"/>, terminates its
/// jobs (only jobs that carry our tool tag and that cluster's id tag, as <see cref="ClusterJobFinder"/> found them)
/// and then deletes its partition of the one store it was listed from. Live clusters are never touched, and each
/// orphan's partition is read once more just before acting, so a lease renewed since the listing saves it.
/// </summary>
internal partial class ClusterCleanup(IClusterPartitionCatalog partitions, IAwsBatchClient? batch, TimeProvider timeProvider, ILogger<ClusterCleanup>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Cleans up the orphans among <paramref name="clusters"/>.</summary>
    /// <param name="clusters">The clusters as listed.</param>
    /// <param name="dryRun">Only report what would be done; terminate and delete nothing.</param>
    /// <param name="onAction">Called after each step (e.g. to print it).</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>Every step, in order.</returns>
    public async Task<IReadOnlyList<ClusterCleanupAction>> RunAsync(
        IEnumerable<ClusterRecord> clusters, bool dryRun, Action<ClusterCleanupAction>? onAction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var actions = new List<ClusterCleanupAction>();
        void Record(ClusterCleanupAction action)
        {
            actions.Add(action);
            LogAction(_logger, action.Kind, action.ClusterId, action.Target, action.DryRun, action.Succeeded);
            onAction?.Invoke(action);
        }

        foreach (var cluster in clusters.Where(c => c.IsOrphaned))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await RevivedSinceListingAsync(cluster, cancellationToken).ConfigureAwait(false) is { } revived)
            {
                Record(new ClusterCleanupAction(ClusterCleanupActionKind.Skip, cluster.ClusterId, cluster.ClusterId, dryRun, revived));
                continue;
            }

            var allTerminated = true;
            foreach (var job in cluster.Jobs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (job.ClusterId != cluster.ClusterId)
                {
                    // Never expected: the inventory groups jobs by their cluster tag. Refuse rather than guess.
                    throw new InvalidOperationException($"Job {job.JobId} is tagged for cluster {job.ClusterId}, not {cluster.ClusterId}.");
                }

                var terminated = await TerminateAsync(cluster, job, dryRun, cancellationToken).ConfigureAwait(false);
                allTerminated &= terminated.Succeeded;
                Record(terminated);
            }

            if (cluster.Partition is null)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Record(allTerminated
                ? await DeletePartitionAsync(cluster, dryRun, cancellationToken).ConfigureAwait(false)
                : new ClusterCleanupAction(ClusterCleanupActionKind.Skip, cluster.ClusterId, cluster.ClusterId, dryRun,
                    "its membership partition is kept until its jobs are terminated, so the next cleanup still knows the cluster as expired"));
        }

        return actions;
    }

    private async Task<string?> RevivedSinceListingAsync(ClusterRecord cluster, CancellationToken cancellationToken)
    {
        if (cluster.Partition is null)
        {
            return null;
        }

        var current = await partitions.ReadAsync(cluster.ClusterId, cancellationToken).ConfigureAwait(false);
        if (current?.Lease is not { } lease)
        {
            return null;
        }

        // Renewed since the listing, or live again by every measure the inventory uses: leave it.
        if (lease.Renewals != cluster.Partition.Lease?.Renewals
            || !Orleans.Batch.Hosting.Membership.Lease.ManagerProcessIdentity.IsReleasable(lease, timeProvider.GetUtcNow()))
        {
            return "its manager renewed its lease since it was listed";
        }

        return null;
    }

    private async Task<ClusterCleanupAction> TerminateAsync(ClusterRecord cluster, ClusterJob job, bool dryRun, CancellationToken cancellationToken)
    {
        var detail = $"{job.JobName}, {job.StatusName}";
        if (dryRun)
        {
            return new ClusterCleanupAction(ClusterCleanupActionKind.TerminateJob, cluster.ClusterId, job.JobId, true, detail);
        }

        if (batch is null)
        {
            throw new InvalidOperationException("Terminating jobs needs an AWS Batch client.");
        }

        try
        {
            await batch.TerminateJobAsync(
                new TerminateJobRequest { JobId = job.JobId, Reason = $"Orleans.Batch cleanup: {cluster.Assessment}" },
                cancellationToken).ConfigureAwait(false);
            return new ClusterCleanupAction(ClusterCleanupActionKind.TerminateJob, cluster.ClusterId, job.JobId, false, detail);
        }
        catch (AwsBatchException exception)
        {
            return new ClusterCleanupAction(ClusterCleanupActionKind.TerminateJob, cluster.ClusterId, job.JobId, false, detail, exception);
        }
    }

    private async Task<ClusterCleanupAction> DeletePartitionAsync(ClusterRecord cluster, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return new ClusterCleanupAction(ClusterCleanupActionKind.DeletePartition, cluster.ClusterId, partitions.Description, true);
        }

        try
        {
            var deleted = await partitions.DeleteAsync(cluster.ClusterId, cancellationToken).ConfigureAwait(false);
            return new ClusterCleanupAction(ClusterCleanupActionKind.DeletePartition, cluster.ClusterId, partitions.Description, false, deleted == 1 ? "1 item" : $"{deleted} items");
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            return new ClusterCleanupAction(ClusterCleanupActionKind.DeletePartition, cluster.ClusterId, partitions.Description, false, null, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup step {Kind} of cluster {ClusterId} on {Target} (dry run: {DryRun}; succeeded: {Succeeded})")]
    private static partial void LogAction(ILogger logger, ClusterCleanupActionKind kind, string clusterId, string target, bool dryRun, bool succeeded);
}
