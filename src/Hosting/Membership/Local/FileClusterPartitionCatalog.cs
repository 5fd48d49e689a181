using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Configuration;
using Orleans.Runtime;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>
/// The local clusters in a membership directory: each <c>&lt;cluster&gt;.membership.json</c> table and
/// <c>&lt;cluster&gt;.lease.json</c> lease is one cluster. Deleting one removes only its own files.
/// </summary>
internal sealed class FileClusterPartitionCatalog(LocalMembershipOptions options) : IClusterPartitionCatalog
{
    private const string TableSuffix = ".membership.json";
    private const string LeaseSuffix = ".lease.json";
    private readonly FileManagerLeaseStore _leases = new(options);

    /// <inheritdoc />
    public string Description => $"local membership directory {options.Directory}";

    /// <inheritdoc />
    public bool? KeepsMembershipOf(IReadOnlyDictionary<string, string> siloConfiguration)
    {
        ArgumentNullException.ThrowIfNull(siloConfiguration);
        if (siloConfiguration.TryGetValue(OrleansBatchConfiguration.MembershipKey, out var kind) && !string.Equals(kind, nameof(MembershipKind.Local), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return siloConfiguration.TryGetValue(SiloSettings.Keys.LocalMembershipDirectory, out var directory)
            ? string.Equals(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(options.Directory).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
            : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClusterPartition>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.Directory))
        {
            return [];
        }

        // File names are the cluster ids' safe names; a file that is not one (not ours) is left alone.
        var clusterIds = Directory.EnumerateFiles(options.Directory)
            .Select(Path.GetFileName)
            .Select(name => name!.EndsWith(TableSuffix, StringComparison.Ordinal) ? name[..^TableSuffix.Length]
                : name.EndsWith(LeaseSuffix, StringComparison.Ordinal) ? name[..^LeaseSuffix.Length]
                : null)
            .Select(safeName => safeName is null ? null : ClusterIdGrammar.FromSafeName(safeName))
            .Where(id => !string.IsNullOrEmpty(id))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var partitions = new List<ClusterPartition>(clusterIds.Count);
        foreach (var clusterId in clusterIds)
        {
            if (await ReadAsync(clusterId!, cancellationToken).ConfigureAwait(false) is { } partition)
            {
                partitions.Add(partition);
            }
        }

        return partitions;
    }

    /// <inheritdoc />
    public async Task<ClusterPartition?> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var tableExists = File.Exists(options.GetTablePath(clusterId));
        var lease = await _leases.ReadAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!tableExists && lease is null)
        {
            return null;
        }

        var rows = tableExists
            ? (await Table(clusterId).ReadAllAsync(cancellationToken).ConfigureAwait(false)).Members.Select(m => m.Item1).ToList()
            : [];
        return new ClusterPartition(
            clusterId,
            lease,
            rows.Count(r => r.Status == SiloStatus.Active),
            rows.Count,
            rows.Count > 0 ? rows.Max(r => AsUtc(r.IAmAliveTime)) : null);
    }

    /// <inheritdoc />
    public async Task<int> DeleteAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var files = new[] { options.GetTablePath(clusterId), options.GetLeasePath(clusterId) }.Count(File.Exists);
        await Table(clusterId).DeleteMembershipTableEntriesAsync(clusterId, cancellationToken).ConfigureAwait(false);
        return files;
    }

    // Orleans writes UTC times; a time read back without a kind is UTC too.
    private static DateTimeOffset AsUtc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private FileMembershipTable Table(string clusterId) => new(
        MsOptions.Create(options),
        MsOptions.Create(new ClusterOptions { ClusterId = clusterId }),
        NullLogger<FileMembershipTable>.Instance);
}
