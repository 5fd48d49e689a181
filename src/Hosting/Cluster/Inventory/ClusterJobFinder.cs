using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>
/// Finds the active jobs of our clusters in a job queue: <c>ListJobs</c> for each active status (SUBMITTED through
/// RUNNING, every page), then <c>DescribeJobs</c> in chunks of 100 for their tags. Only top-level jobs are listed
/// (array parents, not children), and only jobs carrying both our tool tag and a cluster-id tag are kept.
/// </summary>
internal sealed class ClusterJobFinder(IAwsBatchClient client)
{
    private static readonly JobStatus[] ActiveStatuses = [JobStatus.Submitted, JobStatus.Pending, JobStatus.Runnable, JobStatus.Starting, JobStatus.Running];
    private static readonly string EnvironmentPrefix = OrleansBatchConfiguration.SectionName + "__";

    /// <summary>The active jobs of our clusters in <paramref name="queue"/>.</summary>
    /// <param name="queue">The job queue (name or ARN).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The jobs, by cluster id then creation time.</returns>
    public async Task<IReadOnlyList<ClusterJob>> FindAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in ActiveStatuses)
        {
            var request = new ListJobsRequest { JobQueue = queue, JobStatus = status, MaxResults = 1000 };
            await foreach (var summary in client.ListAllJobsAsync(request, cancellationToken).ConfigureAwait(false))
            {
                // A job that moved on between two statuses' listings shows up twice.
                if (seen.Add(summary.JobId))
                {
                    ids.Add(summary.JobId);
                }
            }
        }

        var jobs = new List<ClusterJob>();
        foreach (var job in await client.DescribeJobsAsync(ids, cancellationToken).ConfigureAwait(false))
        {
            if (ToClusterJob(job) is { } ours)
            {
                jobs.Add(ours);
            }
        }

        return [.. jobs.OrderBy(j => j.ClusterId, StringComparer.Ordinal).ThenBy(j => j.CreatedAt)];
    }

    /// <summary>The job as one of our cluster's jobs, or null when it lacks our tool tag or a cluster id, or has ended.</summary>
    /// <param name="job">A described job.</param>
    /// <returns>The cluster job, or null.</returns>
    public static ClusterJob? ToClusterJob(JobDetail job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var tags = job.Tags;
        if (tags is null
            || !tags.TryGetValue(AwsBatchTags.Tool, out var tool) || tool != AwsBatchTags.ToolValue
            || !tags.TryGetValue(AwsBatchTags.ClusterId, out var clusterId) || string.IsNullOrWhiteSpace(clusterId)
            || job.Status is JobStatus.Succeeded or JobStatus.Failed)
        {
            return null;
        }

        var configuration = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in job.Container?.Environment ?? [])
        {
            if (variable.Name is { } name && variable.Value is { } value && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                configuration[name.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        return new ClusterJob(
            job.JobId,
            job.JobName,
            clusterId,
            tags.GetValueOrDefault(AwsBatchTags.Role),
            job.Status,
            job.CreatedAt,
            job.ArrayProperties?.Index is null ? job.ArrayProperties?.Size : null,
            job.ArrayProperties?.StatusSummary,
            configuration,
            job.StatusReason);
    }

    /// <summary>
    /// Why the silos of <paramref name="clusterJobs"/> wait in RUNNABLE, as the manager would say it (one line per
    /// cause, with its fix); empty when none waits. Lists the RUNNABLE children of each array for their reasons.
    /// </summary>
    /// <param name="queue">The job queue the jobs were found in.</param>
    /// <param name="clusterJobs">One cluster's active jobs.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The diagnosis lines.</returns>
    public async Task<IReadOnlyList<string>> DiagnoseWaitingAsync(string queue, IReadOnlyList<ClusterJob> clusterJobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clusterJobs);
        if (clusterJobs.All(j => j.RunnableCount == 0))
        {
            return [];
        }

        var statuses = new List<SiloBackendStatus>();
        foreach (var job in clusterJobs)
        {
            statuses.AddRange(Enumerable.Repeat(new SiloBackendStatus(statuses.Count, SiloBackendState.Running), job.RunningCount));
            if (job.ArraySize is null)
            {
                if (job.RunnableCount > 0)
                {
                    statuses.Add(new SiloBackendStatus(statuses.Count, SiloBackendState.Runnable, job.StatusReason));
                }

                continue;
            }

            if (job.RunnableCount == 0)
            {
                continue;
            }

            var children = new ListJobsRequest { ArrayJobId = job.JobId, JobStatus = JobStatus.Runnable, MaxResults = 1000 };
            await foreach (var child in client.ListAllJobsAsync(children, cancellationToken).ConfigureAwait(false))
            {
                statuses.Add(new SiloBackendStatus(statuses.Count, SiloBackendState.Runnable, child.StatusReason));
            }
        }

        return await Backends.AwsBatch.RunnableDiagnosis.DiagnoseAsync(client, queue, statuses, cancellationToken).ConfigureAwait(false);
    }
}
