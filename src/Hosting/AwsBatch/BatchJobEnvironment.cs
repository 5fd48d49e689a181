using System.Globalization;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// What AWS Batch tells a container about its own job, through the variables it sets (read, never set by us:
/// Batch rejects environment overrides whose names start with <c>AWS_BATCH</c>).
/// </summary>
/// <param name="JobId">The job id (<c>AWS_BATCH_JOB_ID</c>); <c>&lt;parent&gt;:&lt;index&gt;</c> for an array child.</param>
/// <param name="ArrayIndex">The array index (<c>AWS_BATCH_JOB_ARRAY_INDEX</c>), for array children.</param>
/// <param name="JobQueue">The job queue name (<c>AWS_BATCH_JQ_NAME</c>).</param>
/// <param name="ComputeEnvironment">The compute environment name (<c>AWS_BATCH_CE_NAME</c>).</param>
/// <param name="Attempt">The attempt number (<c>AWS_BATCH_JOB_ATTEMPT</c>).</param>
public sealed record BatchJobEnvironment(string JobId, int? ArrayIndex, string? JobQueue, string? ComputeEnvironment, int? Attempt)
{
    /// <summary>The job id variable (<c>AWS_BATCH_JOB_ID</c>); every name Batch sets is defined here and only here.</summary>
    public const string JobIdVariable = "AWS_BATCH_JOB_ID";

    /// <summary>The array index variable of an array child.</summary>
    public const string ArrayIndexVariable = "AWS_BATCH_JOB_ARRAY_INDEX";

    /// <summary>The job queue variable.</summary>
    public const string JobQueueVariable = "AWS_BATCH_JQ_NAME";

    /// <summary>The compute environment variable.</summary>
    public const string ComputeEnvironmentVariable = "AWS_BATCH_CE_NAME";

    /// <summary>The attempt number variable.</summary>
    public const string AttemptVariable = "AWS_BATCH_JOB_ATTEMPT";

    /// <summary>Reads the variables; null when this process is not running in a Batch job.</summary>
    public static BatchJobEnvironment? Read(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var jobId = getEnvironmentVariable(JobIdVariable);
        if (string.IsNullOrWhiteSpace(jobId))
        {
            return null;
        }

        return new BatchJobEnvironment(
            jobId,
            ParseInt(getEnvironmentVariable(ArrayIndexVariable)),
            NonEmpty(getEnvironmentVariable(JobQueueVariable)),
            NonEmpty(getEnvironmentVariable(ComputeEnvironmentVariable)),
            ParseInt(getEnvironmentVariable(AttemptVariable)));
    }

    /// <summary>Reads this process's variables.</summary>
    public static BatchJobEnvironment? Current() => Read(Environment.GetEnvironmentVariable);

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
