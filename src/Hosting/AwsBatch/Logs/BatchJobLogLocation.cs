using System.Globalization;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>
/// Where a Batch job's container log is in CloudWatch Logs: its <c>container.logStreamName</c> in the group named by
/// the <c>awslogs-group</c> option of <c>container.logConfiguration</c> (Batch's default <c>/aws/batch/job</c>),
/// in the <c>awslogs-region</c> when that option is set.
/// </summary>
/// <param name="LogGroupName">The log group.</param>
/// <param name="LogStreamName">The log stream.</param>
/// <param name="Region">The region of the log group when the job names one (<c>awslogs-region</c>), else null (the job's region).</param>
internal sealed record BatchJobLogLocation(string LogGroupName, string LogStreamName, string? Region)
{
    /// <summary>The log group Batch uses when the job definition names none.</summary>
    public const string DefaultLogGroup = "/aws/batch/job";

    /// <summary>
    /// The log of <paramref name="job"/>, or null with <paramref name="reason"/> saying why it has none (an array
    /// parent, a job that has not started, a log driver other than <c>awslogs</c>).
    /// </summary>
    /// <param name="job">The described job.</param>
    /// <param name="reason">Why there is no log to read, as a sentence about the job.</param>
    /// <returns>The location, or null.</returns>
    public static BatchJobLogLocation? For(JobDetail job, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(job);
        reason = null;
        if (job.ArrayProperties is { Size: { } size, Index: null })
        {
            var last = (size - 1).ToString(CultureInfo.InvariantCulture);
            reason = $"job {job.JobId} is an array job of {size} children; each child has its own log ({job.JobId}:0 to {job.JobId}:{last})";
            return null;
        }

        var configuration = job.Container?.LogConfiguration;
        if (configuration is not null && configuration.LogDriver != LogDriver.AwsLogs)
        {
            reason = $"job {job.JobId} logs with the '{configuration.LogDriver.ToString().ToLowerInvariant()}' log driver, not to CloudWatch Logs";
            return null;
        }

        if (job.Container?.LogStreamName is not { Length: > 0 } stream)
        {
            var status = job.Status.ToString().ToUpperInvariant();
            reason = job.Status is JobStatus.Succeeded or JobStatus.Failed
                ? $"job {job.JobId} ended ({status}{(string.IsNullOrWhiteSpace(job.StatusReason) ? string.Empty : ": " + job.StatusReason)}) without a log stream: its container never started"
                : $"job {job.JobId} is {status} and has no log stream yet: it gets one when its container starts";
            return null;
        }

        var options = configuration?.Options;
        var group = options?.GetValueOrDefault("awslogs-group") is { Length: > 0 } named ? named : DefaultLogGroup;
        var region = options?.GetValueOrDefault("awslogs-region") is { Length: > 0 } logRegion ? logRegion : null;
        return new BatchJobLogLocation(group, stream, region);
    }
}
