namespace Orleans.Batch.BatchEmulator.Api.Model;

internal sealed class DescribeJobQueuesRequest
{
    public List<string>? JobQueues { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class DescribeJobQueuesResponse
{
    public required List<JobQueueDetailShape> JobQueues { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class JobQueueDetailShape
{
    public required string JobQueueName { get; set; }

    public required string JobQueueArn { get; set; }

    public required string State { get; set; }

    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public required int Priority { get; set; }

    public required List<ComputeEnvironmentOrderShape> ComputeEnvironmentOrder { get; set; }

    public string? JobQueueType { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public List<JobStateTimeLimitActionShape>? JobStateTimeLimitActions { get; set; }
}

internal sealed class JobStateTimeLimitActionShape
{
    public required string Reason { get; set; }

    public required string State { get; set; }

    public required int MaxTimeSeconds { get; set; }

    public required string Action { get; set; }
}

internal sealed class ComputeEnvironmentOrderShape
{
    public required int Order { get; set; }

    public required string ComputeEnvironment { get; set; }
}
