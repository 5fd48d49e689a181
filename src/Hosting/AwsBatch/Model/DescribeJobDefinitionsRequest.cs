namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Input of <c>DescribeJobDefinitions</c> (model shape <c>DescribeJobDefinitionsRequest</c>).</summary>
internal sealed class DescribeJobDefinitionsRequest
{
    /// <summary>Up to 100 definitions as <c>name:revision</c> or ARN (<c>jobDefinitions</c>).</summary>
    public IReadOnlyList<string>? JobDefinitions { get; init; }

    /// <summary>Page size, 1 to 100 (<c>maxResults</c>).</summary>
    public int? MaxResults { get; init; }

    /// <summary>Only revisions of this name (<c>jobDefinitionName</c>).</summary>
    public string? JobDefinitionName { get; init; }

    /// <summary>Only <c>ACTIVE</c> or <c>INACTIVE</c> revisions (<c>status</c>).</summary>
    public string? Status { get; init; }

    /// <summary>The token from the previous page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }
}
