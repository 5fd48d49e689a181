namespace Orleans.Batch.BatchEmulator.Api.Model;

/// <summary>The request of both TerminateJob and CancelJob (same members in service-2.json).</summary>
internal sealed class JobStopRequest
{
    public string? JobId { get; set; }

    public string? Reason { get; set; }
}
