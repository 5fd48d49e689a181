namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Output of <c>SubmitJob</c> (model shape <c>SubmitJobResponse</c>).</summary>
internal sealed class SubmitJobResponse
{
    /// <summary>The job ARN (<c>jobArn</c>).</summary>
    public string? JobArn { get; init; }

    /// <summary>The job name (<c>jobName</c>).</summary>
    public required string JobName { get; init; }

    /// <summary>The job id (<c>jobId</c>); for an array job, the parent id.</summary>
    public required string JobId { get; init; }
}
