namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>One log event (model shape <c>OutputLogEvent</c>).</summary>
internal sealed class OutputLogEvent
{
    /// <summary>When the event happened, epoch milliseconds (<c>timestamp</c>).</summary>
    public long? Timestamp { get; init; }

    /// <summary>The line (<c>message</c>).</summary>
    public string? Message { get; init; }

    /// <summary>When CloudWatch Logs received it, epoch milliseconds (<c>ingestionTime</c>).</summary>
    public long? IngestionTime { get; init; }
}
