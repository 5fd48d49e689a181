namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// Input of <c>CancelJob</c> (model shape <c>CancelJobRequest</c>): cancels a job that has not started
/// (before <c>STARTING</c>); use <see cref="TerminateJobRequest"/> for running jobs.
/// </summary>
internal sealed class CancelJobRequest
{
    /// <summary>The job id (<c>jobId</c>, required).</summary>
    public required string JobId { get; init; }

    /// <summary>A reason shown in the job's status reason (<c>reason</c>, required).</summary>
    public required string Reason { get; init; }
}
