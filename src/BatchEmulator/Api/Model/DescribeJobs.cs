namespace Orleans.Batch.BatchEmulator.Api.Model;

internal sealed class DescribeJobsRequest
{
    public List<string>? Jobs { get; set; }
}

internal sealed class DescribeJobsResponse
{
    public required List<JobDetailShape> Jobs { get; set; }
}

internal sealed class JobDetailShape
{
    public string? JobArn { get; set; }

    public required string JobName { get; set; }

    public required string JobId { get; set; }

    public required string JobQueue { get; set; }

    public required string Status { get; set; }

    public List<AttemptDetailShape>? Attempts { get; set; }

    public string? StatusReason { get; set; }

    public long? CreatedAt { get; set; }

    public RetryStrategyShape? RetryStrategy { get; set; }

    public long? StartedAt { get; set; }

    public long? StoppedAt { get; set; }

    public List<JobDependencyShape>? DependsOn { get; set; }

    public required string JobDefinition { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }

    public ContainerDetailShape? Container { get; set; }

    public ArrayPropertiesDetailShape? ArrayProperties { get; set; }

    public JobTimeoutShape? Timeout { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public bool? PropagateTags { get; set; }

    public List<string>? PlatformCapabilities { get; set; }

    public bool? IsCancelled { get; set; }

    public bool? IsTerminated { get; set; }
}

internal sealed class ContainerDetailShape
{
    public string? Image { get; set; }

    public int? Vcpus { get; set; }

    public int? Memory { get; set; }

    public List<string>? Command { get; set; }

    public string? JobRoleArn { get; set; }

    public string? ExecutionRoleArn { get; set; }

    public List<KeyValuePairShape>? Environment { get; set; }

    public int? ExitCode { get; set; }

    public string? Reason { get; set; }

    public string? ContainerInstanceArn { get; set; }

    public string? TaskArn { get; set; }

    public string? LogStreamName { get; set; }

    public List<ResourceRequirementShape>? ResourceRequirements { get; set; }
}

internal sealed class AttemptDetailShape
{
    public AttemptContainerDetailShape? Container { get; set; }

    public long? StartedAt { get; set; }

    public long? StoppedAt { get; set; }

    public string? StatusReason { get; set; }
}

internal sealed class AttemptContainerDetailShape
{
    public string? ContainerInstanceArn { get; set; }

    public string? TaskArn { get; set; }

    public int? ExitCode { get; set; }

    public string? Reason { get; set; }

    public string? LogStreamName { get; set; }
}

internal sealed class ArrayPropertiesDetailShape
{
    public Dictionary<string, int>? StatusSummary { get; set; }

    public long? StatusSummaryLastUpdatedAt { get; set; }

    public int? Size { get; set; }

    public int? Index { get; set; }
}
