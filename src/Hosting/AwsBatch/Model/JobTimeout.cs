namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A job timeout (model shape <c>JobTimeout</c>).</summary>
internal sealed class JobTimeout
{
    /// <summary>
    /// Seconds after an attempt starts before Batch terminates it (<c>attemptDurationSeconds</c>; at least 60).
    /// For array jobs it applies to each child job.
    /// </summary>
    public int? AttemptDurationSeconds { get; init; }
}
