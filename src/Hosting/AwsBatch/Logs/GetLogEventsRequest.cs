namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>Input of CloudWatch Logs <c>GetLogEvents</c> (the members this tool uses).</summary>
internal sealed class GetLogEventsRequest
{
    /// <summary>The log group, e.g. <c>/aws/batch/job</c> (<c>logGroupName</c>).</summary>
    public required string LogGroupName { get; init; }

    /// <summary>The log stream, e.g. <c>my-definition/default/0123abcd</c> (<c>logStreamName</c>, required).</summary>
    public required string LogStreamName { get; init; }

    /// <summary>Read from the oldest event (<c>startFromHead</c>); the service's default reads the newest.</summary>
    public bool? StartFromHead { get; init; }

    /// <summary>The token of the previous page (<c>nextToken</c>).</summary>
    public string? NextToken { get; init; }

    /// <summary>Events per page, 1 to 10000 (<c>limit</c>); the service's default fills 1 MB.</summary>
    public int? Limit { get; init; }
}
