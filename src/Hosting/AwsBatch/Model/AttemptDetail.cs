namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>One finished attempt of a job (model shape <c>AttemptDetail</c>).</summary>
internal sealed class AttemptDetail
{
    /// <summary>The attempt's container (<c>container</c>).</summary>
    public AttemptContainerDetail? Container { get; init; }

    /// <summary>When the attempt started (<c>startedAt</c>).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the attempt stopped (<c>stoppedAt</c>).</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>Why the attempt ended (<c>statusReason</c>).</summary>
    public string? StatusReason { get; init; }
}
