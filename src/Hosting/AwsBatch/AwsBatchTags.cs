namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// The tags Orleans.Batch puts on every job it submits. Clean-up only ever touches jobs that carry
/// <see cref="Tool"/> = <see cref="ToolValue"/> and whose cluster's lease has expired.
/// </summary>
internal static class AwsBatchTags
{
    /// <summary>Marks a job as Orleans.Batch's.</summary>
    public const string Tool = "orleans-batch:tool";

    /// <summary>The value of <see cref="Tool"/>.</summary>
    public const string ToolValue = "orleans-batch";

    /// <summary>The cluster (Orleans ClusterId) the job belongs to.</summary>
    public const string ClusterId = "orleans-batch:cluster-id";

    /// <summary>The job's role: <see cref="SiloRole"/> (or <c>manager</c> for a manager job the user submitted with our tags).</summary>
    public const string Role = "orleans-batch:role";

    /// <summary>The value of <see cref="Role"/> for silo jobs.</summary>
    public const string SiloRole = "silo";
}
