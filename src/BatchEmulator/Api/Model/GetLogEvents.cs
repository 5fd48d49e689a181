namespace Orleans.Batch.BatchEmulator.Api.Model;

// CloudWatch Logs (JSON 1.1, target prefix Logs_20140328), GetLogEvents only.

internal sealed class GetLogEventsRequest
{
    public string? LogGroupName { get; set; }

    public string? LogGroupIdentifier { get; set; }

    public string? LogStreamName { get; set; }

    public long? StartTime { get; set; }

    public long? EndTime { get; set; }

    public string? NextToken { get; set; }

    public int? Limit { get; set; }

    public bool? StartFromHead { get; set; }

    public bool? Unmask { get; set; }
}

internal sealed class GetLogEventsResponse
{
    public required List<OutputLogEventShape> Events { get; set; }

    public string? NextForwardToken { get; set; }

    public string? NextBackwardToken { get; set; }
}

internal sealed class OutputLogEventShape
{
    public long? Timestamp { get; set; }

    public string? Message { get; set; }

    public long? IngestionTime { get; set; }
}
