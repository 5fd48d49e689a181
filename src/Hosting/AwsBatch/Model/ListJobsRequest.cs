namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// Input of <c>ListJobs</c> (model shape <c>ListJobsRequest</c>). Set exactly one of <see cref="JobQueue"/> or
/// <see cref="ArrayJobId"/>. For every page, use
/// <see cref="AwsBatchClientExtensions.ListAllJobsAsync(IAwsBatchClient, ListJobsRequest, CancellationToken)"/>.
/// </summary>
internal sealed class ListJobsRequest
{
    /// <summary>The job queue, by name or ARN (<c>jobQueue</c>).</summary>
    public string? JobQueue { get; init; }

    /// <summary>Lists the children of this array job (<c>arrayJobId</c>).</summary>
    public string? ArrayJobId { get; init; }

    /// <summary>Only jobs in this status; without it and without filters, Batch lists <c>RUNNING</c> jobs (<c>jobStatus</c>).</summary>
    public JobStatus? JobStatus { get; init; }

    /// <summary>Filters; with any filter every status is listed (<c>filters</c>).</summary>
    public IReadOnlyList<ListJobsFilter>? Filters { get; init; }

    /// <summary>The token from the previous page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }

    /// <summary>Page size, 1 to 1000; Batch defaults to 100 (<c>maxResults</c>).</summary>
    public int? MaxResults { get; init; }
}
