namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Input of <c>SubmitJob</c> (model shape <c>SubmitJobRequest</c>).</summary>
internal sealed class SubmitJobRequest
{
    /// <summary>
    /// The job name (<c>jobName</c>, required): up to 128 letters, digits, hyphens and underscores, starting with a
    /// letter or digit. Give every submission a unique name: after a lost response the client finds the job by it.
    /// </summary>
    public required string JobName { get; init; }

    /// <summary>The job queue, by name or ARN (<c>jobQueue</c>, required).</summary>
    public required string JobQueue { get; init; }

    /// <summary>The job definition: <c>name</c>, <c>name:revision</c> or an ARN (<c>jobDefinition</c>, required).</summary>
    public required string JobDefinition { get; init; }

    /// <summary>Makes this an array job (<c>arrayProperties</c>).</summary>
    public ArrayProperties? ArrayProperties { get; init; }

    /// <summary>Overrides of the definition's container (<c>containerOverrides</c>).</summary>
    public ContainerOverrides? ContainerOverrides { get; init; }

    /// <summary>Values for <c>Ref::name</c> placeholders in the definition's command (<c>parameters</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Overrides the definition's retry strategy (<c>retryStrategy</c>).</summary>
    public RetryStrategy? RetryStrategy { get; init; }

    /// <summary>Copies the job's tags to its ECS tasks (<c>propagateTags</c>).</summary>
    public bool? PropagateTags { get; init; }

    /// <summary>Overrides the definition's timeout (<c>timeout</c>).</summary>
    public JobTimeout? Timeout { get; init; }

    /// <summary>Up to 50 tags (<c>tags</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The fair-share identifier; required by queues with a scheduling policy (<c>shareIdentifier</c>).</summary>
    public string? ShareIdentifier { get; init; }

    /// <summary>The fair-share scheduling priority, 0 to 9999 (<c>schedulingPriorityOverride</c>).</summary>
    public int? SchedulingPriorityOverride { get; init; }
}
