using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Hosting.Silo.Watchdog;

/// <summary>
/// A silo's kill switch on AWS Batch: one TerminateJob for the array job it is a child of (or its own job when it
/// is a single job). Batch then terminates the running children and cancels the ones still waiting in RUNNABLE,
/// which would otherwise start later, run for a whole orphan timeout, or stay queued until someone cleans up.
/// </summary>
/// <remarks>
/// The silo job role may terminate only jobs tagged by this tool (see deploy/); this code only ever names the
/// cluster's own array job, taken from <c>AWS_BATCH_JOB_ID</c>.
/// </remarks>
internal sealed partial class BatchClusterKillSwitch(
    AwsBatchClientOptions clientOptions,
    BatchJobEnvironment job,
    ILoggerFactory loggerFactory,
    TimeProvider time) : IClusterKillSwitch
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<BatchClusterKillSwitch>();

    /// <summary>The job to terminate: the array parent of a child (<c>parent:index</c>), else the job itself.</summary>
    internal string TargetJobId => job.ArrayIndex is not null && job.JobId.LastIndexOf(':') is > 0 and var colon
        ? job.JobId[..colon]
        : job.JobId;

    public async Task TerminateClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        using var client = new AwsBatchClient(clientOptions, loggerFactory, time);
        await client.TerminateJobAsync(new TerminateJobRequest
        {
            JobId = TargetJobId,
            Reason = $"orleans-batch: the manager of cluster {clusterId} is gone; silo {job.JobId} stopped the cluster",
        }, cancellationToken).ConfigureAwait(false);
        LogTerminated(_logger, TargetJobId, clusterId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Terminated job {JobId} of cluster {ClusterId}: its running silos stop and the ones still waiting are cancelled")]
    private static partial void LogTerminated(ILogger logger, string jobId, string clusterId);
}
