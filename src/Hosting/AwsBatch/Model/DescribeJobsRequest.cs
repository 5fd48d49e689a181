namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Input of <c>DescribeJobs</c> (model shape <c>DescribeJobsRequest</c>).</summary>
internal sealed class DescribeJobsRequest
{
    /// <summary>The maximum number of job ids in one request.</summary>
    public const int MaxJobIds = 100;

    /// <summary>
    /// Up to 100 job ids (<c>jobs</c>, required); child jobs as <c>&lt;parent&gt;:&lt;index&gt;</c>. For more, use
    /// <see cref="AwsBatchClientExtensions.DescribeJobsAsync(IAwsBatchClient, IEnumerable{string}, CancellationToken)"/>.
    /// </summary>
    public required IReadOnlyList<string> Jobs { get; init; }
}
