namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>ListJobs</c> (model shape <c>ListJobsResponse</c>).</summary>
internal sealed class ListJobsResponse
{
    /// <summary>The jobs of this page (<c>jobSummaryList</c>).</summary>
    public IReadOnlyList<JobSummary> JobSummaryList { get; init; } = [];

    /// <summary>The token for the next page; <see langword="null"/> on the last page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
