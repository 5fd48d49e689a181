namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>
/// Options for the file-based membership table used when silos run as processes on one machine
/// (configuration section <c>OrleansBatch:LocalMembership</c>).
/// </summary>
/// <remarks>
/// Every silo of a cluster and its manager must name the same directory. The table of cluster
/// <c>X</c> is the file <c>X.membership.json</c> in it; writes are serialized with an exclusive file lock
/// and replace the file atomically, so readers never see a torn table.
/// </remarks>
public sealed class LocalMembershipOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "OrleansBatch:LocalMembership";

    /// <summary>
    /// The directory holding the table files. Default: <c>orleans-batch/membership</c> under the system's
    /// temporary directory.
    /// </summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "orleans-batch", "membership");

    /// <summary>How long a writer waits for the table lock before failing. Default: 10 seconds.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The path of the table file of <paramref name="clusterId"/>.</summary>
    public string GetTablePath(string clusterId) => Path.Combine(Directory, FileNameFor(clusterId) + ".membership.json");

    /// <summary>The path of the manager lease file of <paramref name="clusterId"/>.</summary>
    public string GetLeasePath(string clusterId) => Path.Combine(Directory, FileNameFor(clusterId) + ".lease.json");

    /// <summary>The path of the lock that lets one silo at a time join or leave cluster <paramref name="clusterId"/>.</summary>
    public string GetTransitionLockPath(string clusterId) => Path.Combine(Directory, FileNameFor(clusterId) + ".transitions.lock");

    /// <summary>The path of the lock file of <paramref name="clusterId"/>.</summary>
    public string GetLockPath(string clusterId) => Path.Combine(Directory, FileNameFor(clusterId) + ".lock");

    // Cluster ids are Batch job ids or generated ids; map anything else to a safe file name.
    private static string FileNameFor(string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var chars = clusterId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return new string(chars);
    }
}
