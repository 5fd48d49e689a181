namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A job queue (model shape <c>JobQueueDetail</c>).</summary>
internal sealed class JobQueueDetail
{
    /// <summary>The name (<c>jobQueueName</c>).</summary>
    public required string JobQueueName { get; init; }

    /// <summary>The ARN (<c>jobQueueArn</c>).</summary>
    public required string JobQueueArn { get; init; }

    /// <summary>Whether it accepts jobs (<c>state</c>).</summary>
    public required JobQueueState State { get; init; }

    /// <summary>The lifecycle status (<c>status</c>).</summary>
    public JobQueueStatus? Status { get; init; }

    /// <summary>A description of the status, e.g. why it is invalid (<c>statusReason</c>).</summary>
    public string? StatusReason { get; init; }

    /// <summary>The priority among queues sharing compute environments (<c>priority</c>).</summary>
    public int? Priority { get; init; }

    /// <summary>The compute environments, in order (<c>computeEnvironmentOrder</c>).</summary>
    public IReadOnlyList<ComputeEnvironmentOrder> ComputeEnvironmentOrder { get; init; } = [];

    /// <summary>The tags (<c>tags</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
