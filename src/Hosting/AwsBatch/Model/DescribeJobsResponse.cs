namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>DescribeJobs</c> (model shape <c>DescribeJobsResponse</c>).</summary>
internal sealed class DescribeJobsResponse
{
    /// <summary>The jobs that exist; unknown or expired ids are simply absent (<c>jobs</c>).</summary>
    public IReadOnlyList<JobDetail> Jobs { get; init; } = [];
}
