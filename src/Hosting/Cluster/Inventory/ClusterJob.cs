using System.Globalization;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>
/// An active AWS Batch job of one of our clusters: it carries both <see cref="AwsBatch.AwsBatchTags.Tool"/> =
/// <see cref="AwsBatch.AwsBatchTags.ToolValue"/> and <see cref="AwsBatch.AwsBatchTags.ClusterId"/> = <see cref="ClusterId"/>.
/// </summary>
/// <param name="JobId">The job id (an array parent's id for an array job).</param>
/// <param name="JobName">The job name.</param>
/// <param name="ClusterId">The value of its cluster-id tag.</param>
/// <param name="Role">The value of its role tag (<c>silo</c>, or <c>manager</c>), when set.</param>
/// <param name="Status">Its status when it was described.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ArraySize">The number of children of an array job; null for a single job.</param>
/// <param name="ChildStatuses">Children per status of an array job (<c>arrayProperties.statusSummary</c>).</param>
/// <param name="SiloConfiguration">The <c>OrleansBatch:*</c> configuration its environment gives the silo (which membership store it uses).</param>
/// <param name="StatusReason">Batch's reason for its status (for a RUNNABLE single job: why it waits), when given.</param>
internal sealed record ClusterJob(
    string JobId,
    string JobName,
    string ClusterId,
    string? Role,
    JobStatus Status,
    DateTimeOffset? CreatedAt,
    int? ArraySize,
    IReadOnlyDictionary<string, int>? ChildStatuses,
    IReadOnlyDictionary<string, string> SiloConfiguration,
    string? StatusReason = null)
{
    /// <summary>How many of its silos wait in RUNNABLE: children of an array, or the job itself.</summary>
    public int RunnableCount => ArraySize is null
        ? (Status == JobStatus.Runnable ? 1 : 0)
        : Children(JobStatus.Runnable);

    /// <summary>How many of its silos are starting or running.</summary>
    public int RunningCount => ArraySize is null
        ? (Status is JobStatus.Starting or JobStatus.Running ? 1 : 0)
        : Children(JobStatus.Starting) + Children(JobStatus.Running);

    // arrayProperties.statusSummary is keyed by Batch's own spelling of each status.
    private int Children(JobStatus status) => ChildStatuses?.GetValueOrDefault(AwsBatch.Model.AwsEnumConverter<JobStatus>.WireName(status)) ?? 0;

    /// <summary>The status as Batch writes it, e.g. <c>RUNNING</c>.</summary>
    public string StatusName => Status.ToString().ToUpperInvariant();

    /// <summary>One line, e.g. <c>0123… RUNNING (array of 4: 3 RUNNING, 1 STARTING)</c>.</summary>
    public string Describe()
    {
        if (ArraySize is not { } size)
        {
            return $"{JobId} {StatusName}";
        }

        var children = ChildStatuses?.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Value.ToString(CultureInfo.InvariantCulture)} {c.Key}").ToList() ?? [];
        var summary = children.Count > 0 ? ": " + string.Join(", ", children) : string.Empty;
        return $"{JobId} {StatusName} (array of {size.ToString(CultureInfo.InvariantCulture)}{summary})";
    }
}
