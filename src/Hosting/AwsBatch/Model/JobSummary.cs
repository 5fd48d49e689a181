namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A job as listed by <c>ListJobs</c> (model shape <c>JobSummary</c>).</summary>
internal sealed class JobSummary
{
    /// <summary>The job ARN (<c>jobArn</c>).</summary>
    public string? JobArn { get; init; }

    /// <summary>The job id (<c>jobId</c>).</summary>
    public required string JobId { get; init; }

    /// <summary>The job name (<c>jobName</c>).</summary>
    public required string JobName { get; init; }

    /// <summary>When the job was created (<c>createdAt</c>, epoch milliseconds).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The status (<c>status</c>).</summary>
    public JobStatus? Status { get; init; }

    /// <summary>Why the job is in its status (<c>statusReason</c>).</summary>
    public string? StatusReason { get; init; }

    /// <summary>When the job started running (<c>startedAt</c>).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job stopped (<c>stoppedAt</c>).</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The container's exit code and reason (<c>container</c>).</summary>
    public ContainerSummary? Container { get; init; }

    /// <summary>Array size or child index (<c>arrayProperties</c>).</summary>
    public ArrayPropertiesSummary? ArrayProperties { get; init; }

    /// <summary>The job definition ARN (<c>jobDefinition</c>).</summary>
    public string? JobDefinition { get; init; }
}
