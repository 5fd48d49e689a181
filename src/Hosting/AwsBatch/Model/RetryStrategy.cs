namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>How Batch retries a failed job (model shape <c>RetryStrategy</c>).</summary>
internal sealed class RetryStrategy
{
    /// <summary>Total attempts, 1 to 10 (<c>attempts</c>).</summary>
    public int? Attempts { get; init; }

    /// <summary>Up to five conditions that decide whether a failed attempt is retried (<c>evaluateOnExit</c>).</summary>
    public IReadOnlyList<EvaluateOnExit>? EvaluateOnExit { get; init; }
}
