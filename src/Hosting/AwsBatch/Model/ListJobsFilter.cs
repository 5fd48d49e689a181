using System.Globalization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// A <c>ListJobs</c> filter (model shape <c>KeyValuesPair</c>). With any filter, <c>ListJobs</c> returns jobs in every
/// status and ignores <see cref="ListJobsRequest.JobStatus"/>.
/// </summary>
internal sealed class ListJobsFilter
{
    /// <summary>Filter name for the job name (case-insensitive; a trailing <c>*</c> matches a prefix).</summary>
    public const string JobNameFilter = "JOB_NAME";

    /// <summary>Filter name for the job definition (name, name:revision or ARN; a trailing <c>*</c> matches a prefix).</summary>
    public const string JobDefinitionFilter = "JOB_DEFINITION";

    /// <summary>Filter name for jobs created before a time (epoch milliseconds).</summary>
    public const string BeforeCreatedAtFilter = "BEFORE_CREATED_AT";

    /// <summary>Filter name for jobs created after a time (epoch milliseconds).</summary>
    public const string AfterCreatedAtFilter = "AFTER_CREATED_AT";

    /// <summary>The filter name (<c>name</c>), one of the <c>*Filter</c> constants.</summary>
    public string? Name { get; init; }

    /// <summary>The filter values (<c>values</c>); Batch accepts one.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Jobs whose name matches.</summary>
    /// <param name="jobName">The job name, or a prefix followed by <c>*</c>.</param>
    /// <returns>The filter.</returns>
    public static ListJobsFilter ForJobName(string jobName) => new() { Name = JobNameFilter, Values = [jobName] };

    /// <summary>Jobs of a job definition.</summary>
    /// <param name="jobDefinition">The definition name, name:revision or ARN, or a prefix followed by <c>*</c>.</param>
    /// <returns>The filter.</returns>
    public static ListJobsFilter ForJobDefinition(string jobDefinition) => new() { Name = JobDefinitionFilter, Values = [jobDefinition] };

    /// <summary>Jobs created before a time.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The filter.</returns>
    public static ListJobsFilter CreatedBefore(DateTimeOffset time)
        => new() { Name = BeforeCreatedAtFilter, Values = [time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)] };

    /// <summary>Jobs created after a time.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The filter.</returns>
    public static ListJobsFilter CreatedAfter(DateTimeOffset time)
        => new() { Name = AfterCreatedAtFilter, Values = [time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)] };
}
