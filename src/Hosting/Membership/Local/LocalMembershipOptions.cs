using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.LocalState;

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
    public string Directory { get; set; } = LocalStateDirectory.MembershipDirectory;

    /// <summary>How long a writer waits for the table lock before failing. Default: 10 seconds.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The path of the table file of <paramref name="clusterId"/>.</summary>
    public string GetTablePath(string clusterId) => PathFor(clusterId, ".membership.json");

    /// <summary>The path of the manager lease file of <paramref name="clusterId"/>.</summary>
    public string GetLeasePath(string clusterId) => PathFor(clusterId, ".lease.json");

    /// <summary>The path of the lock that lets one silo at a time join or leave cluster <paramref name="clusterId"/>.</summary>
    public string GetTransitionLockPath(string clusterId) => PathFor(clusterId, ".transitions.lock");

    /// <summary>The path of the lock file of <paramref name="clusterId"/>.</summary>
    public string GetLockPath(string clusterId) => PathFor(clusterId, ".lock");

    /// <summary>The file of the cluster's TLS certificate and key (<c>&lt;cluster&gt;.tls.pem</c>, mode 0600).</summary>
    internal string GetCertificatePath(string clusterId) => PathFor(clusterId, ".tls.pem");

    /// <summary>Makes sure <see cref="Directory"/> exists (creating only its last level, or the state directory's own).</summary>
    /// <exception cref="LocalStateException">It cannot be created; the message names this setting.</exception>
    public void EnsureDirectory() => LocalStateDirectory.EnsureExists(Directory, SectionName + ":Directory");

    // One-to-one and proven to stay in the directory: two cluster ids never share a file.
    private string PathFor(string clusterId, string suffix) =>
        LocalStateDirectory.Under(Directory, ClusterIdGrammar.ToSafeName(clusterId) + suffix);
}
