namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>Output of CloudWatch Logs <c>GetLogEvents</c>.</summary>
internal sealed class GetLogEventsResponse
{
    /// <summary>The events of this page, oldest first (<c>events</c>).</summary>
    public IReadOnlyList<OutputLogEvent> Events { get; init; } = [];

    /// <summary>The token of the next page forward; at the end of the stream, the token that was sent (<c>nextForwardToken</c>).</summary>
    public string? NextForwardToken { get; init; }

    /// <summary>The token of the previous page (<c>nextBackwardToken</c>).</summary>
    public string? NextBackwardToken { get; init; }
}
