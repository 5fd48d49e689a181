namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// Input of <c>TerminateJob</c> (model shape <c>TerminateJobRequest</c>): stops a job in any non-terminal status,
/// including a running one. Terminating an array parent terminates all its children.
/// </summary>
internal sealed class TerminateJobRequest
{
    /// <summary>The job id (<c>jobId</c>, required).</summary>
    public required string JobId { get; init; }

    /// <summary>A reason shown in the job's status reason (<c>reason</c>, required).</summary>
    public required string Reason { get; init; }
}
