namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Input of <c>DescribeJobQueues</c> (model shape <c>DescribeJobQueuesRequest</c>).</summary>
internal sealed class DescribeJobQueuesRequest
{
    /// <summary>Up to 100 queue names or ARNs; empty for all (<c>jobQueues</c>).</summary>
    public IReadOnlyList<string>? JobQueues { get; init; }

    /// <summary>Page size, 1 to 100 (<c>maxResults</c>).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token from the previous page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
