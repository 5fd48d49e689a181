namespace Orleans.Batch.BatchEmulator.Api.Model;

internal sealed class ListJobsRequest
{
    public string? JobQueue { get; set; }

    public string? ArrayJobId { get; set; }

    public string? MultiNodeJobId { get; set; }

    public string? JobStatus { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }

    public List<KeyValuesPairShape>? Filters { get; set; }
}

internal sealed class ListJobsResponse
{
    public required List<JobSummaryShape> JobSummaryList { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class JobSummaryShape
{
    public string? JobArn { get; set; }

    public required string JobId { get; set; }

    public required string JobName { get; set; }

    public long? CreatedAt { get; set; }

    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public long? StartedAt { get; set; }

    public long? StoppedAt { get; set; }

    public ContainerSummaryShape? Container { get; set; }

    public ArrayPropertiesSummaryShape? ArrayProperties { get; set; }

    public string? JobDefinition { get; set; }
}

internal sealed class ContainerSummaryShape
{
    public int? ExitCode { get; set; }

    public string? Reason { get; set; }
}

internal sealed class ArrayPropertiesSummaryShape
{
    public int? Size { get; set; }

    public int? Index { get; set; }

    public Dictionary<string, int>? StatusSummary { get; set; }

    public long? StatusSummaryLastUpdatedAt { get; set; }
}
