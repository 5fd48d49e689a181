namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A job as described by <c>DescribeJobs</c> (model shape <c>JobDetail</c>).</summary>
internal sealed class JobDetail
{
    /// <summary>The job ARN (<c>jobArn</c>).</summary>
    public string? JobArn { get; init; }

    /// <summary>The job name (<c>jobName</c>).</summary>
    public required string JobName { get; init; }

    /// <summary>The job id (<c>jobId</c>); children of an array job have <c>&lt;parent&gt;:&lt;index&gt;</c>.</summary>
    public required string JobId { get; init; }

    /// <summary>The job queue ARN (<c>jobQueue</c>).</summary>
    public required string JobQueue { get; init; }

    /// <summary>The status (<c>status</c>).</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Why the job is in its status, e.g. why it failed (<c>statusReason</c>).</summary>
    public string? StatusReason { get; init; }

    /// <summary>When the job was created (<c>createdAt</c>).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// When the job started running (<c>startedAt</c>). The model marks it required, but the service omits it until
    /// the job runs.
    /// </summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job stopped (<c>stoppedAt</c>).</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The job definition ARN (<c>jobDefinition</c>).</summary>
    public required string JobDefinition { get; init; }

    /// <summary>Array size, child index and child status counts (<c>arrayProperties</c>).</summary>
    public ArrayPropertiesDetail? ArrayProperties { get; init; }

    /// <summary>The container (<c>container</c>).</summary>
    public ContainerDetail? Container { get; init; }

    /// <summary>The finished attempts (<c>attempts</c>).</summary>
    public IReadOnlyList<AttemptDetail>? Attempts { get; init; }

    /// <summary>The parameters (<c>parameters</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The retry strategy (<c>retryStrategy</c>).</summary>
    public RetryStrategy? RetryStrategy { get; init; }

    /// <summary>The tags (<c>tags</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The timeout (<c>timeout</c>).</summary>
    public JobTimeout? Timeout { get; init; }

    /// <summary>Whether the job was cancelled (<c>isCancelled</c>).</summary>
    public bool? IsCancelled { get; init; }

    /// <summary>Whether the job was terminated (<c>isTerminated</c>).</summary>
    public bool? IsTerminated { get; init; }
}
