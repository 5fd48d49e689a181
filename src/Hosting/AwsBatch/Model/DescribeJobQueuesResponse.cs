namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>DescribeJobQueues</c> (model shape <c>DescribeJobQueuesResponse</c>).</summary>
internal sealed class DescribeJobQueuesResponse
{
    /// <summary>The queues that exist (<c>jobQueues</c>).</summary>
    public IReadOnlyList<JobQueueDetail> JobQueues { get; init; } = [];

    /// <summary>The token for the next page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
