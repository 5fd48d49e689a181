namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// The configuration keys shared by the manager and its silos. The manager passes them to silos as
/// environment variables (<c>OrleansBatch__ClusterId</c>, ...), so a job definition or a user's
/// appsettings.json can set the same keys.
/// </summary>
public static class OrleansBatchConfiguration
{
    /// <summary>The root configuration section.</summary>
    public const string SectionName = "OrleansBatch";

    /// <summary>The Orleans ClusterId: the manager's Batch job id, or a generated id for local runs.</summary>
    public const string ClusterIdKey = "OrleansBatch:ClusterId";

    /// <summary>The Orleans ServiceId: a stable application name. Default <see cref="DefaultServiceId"/>.</summary>
    public const string ServiceIdKey = "OrleansBatch:ServiceId";

    /// <summary>Which membership table silos and clients use: <c>Local</c> (a file) or <c>DynamoDB</c>.</summary>
    public const string MembershipKey = "OrleansBatch:Membership";

    /// <summary>
    /// The key of how many silos the cluster has (<c>OrleansBatch:ExpectedSilos</c>): silos choose their membership
    /// timings from it (see README, "Scale"). The manager sets it; unset counts as a small cluster.
    /// </summary>
    public const string ExpectedSilosKey = "OrleansBatch:ExpectedSilos";

    /// <summary>The longest duration any setting takes (30 days), as the command line's durations.</summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    /// <summary>The ServiceId used when none is configured.</summary>
    public const string DefaultServiceId = "orleans-batch";

    /// <summary>Turns a configuration key into the environment variable that sets it (<c>:</c> becomes <c>__</c>).</summary>
    public static string ToEnvironmentVariable(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key.Replace(":", "__", StringComparison.Ordinal);
    }
}
