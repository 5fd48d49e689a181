namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>DescribeJobDefinitions</c> (model shape <c>DescribeJobDefinitionsResponse</c>).</summary>
internal sealed class DescribeJobDefinitionsResponse
{
    /// <summary>The matching revisions (<c>jobDefinitions</c>).</summary>
    public IReadOnlyList<JobDefinition> JobDefinitions { get; init; } = [];

    /// <summary>The token for the next page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
