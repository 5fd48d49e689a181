namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Input of <c>DescribeComputeEnvironments</c> (model shape <c>DescribeComputeEnvironmentsRequest</c>).</summary>
internal sealed class DescribeComputeEnvironmentsRequest
{
    /// <summary>Up to 100 compute environment names or ARNs; empty for all (<c>computeEnvironments</c>).</summary>
    public IReadOnlyList<string>? ComputeEnvironments { get; init; }

    /// <summary>Page size, 1 to 100 (<c>maxResults</c>).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token from the previous page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
