namespace Orleans.Batch.Hosting.Silo;

/// <summary>
/// Whether a silo publishes what the Orleans Dashboard shows (section <c>OrleansBatch:Dashboard</c>), set by a manager
/// that serves the dashboard. Bound only to check the value; <see cref="Configuration.SiloSettings.Dashboard"/> reads it.
/// </summary>
internal sealed class SiloDashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = Configuration.OrleansBatchConfiguration.SectionName + ":Dashboard";

    /// <summary>Publish the dashboard's grain service, grain and call profiler. Default false.</summary>
    public bool Enabled { get; set; }
}
