namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>DescribeComputeEnvironments</c> (model shape <c>DescribeComputeEnvironmentsResponse</c>).</summary>
internal sealed class DescribeComputeEnvironmentsResponse
{
    /// <summary>The compute environments that exist (<c>computeEnvironments</c>).</summary>
    public IReadOnlyList<ComputeEnvironmentDetail> ComputeEnvironments { get; init; } = [];

    /// <summary>The token for the next page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
