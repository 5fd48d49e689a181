namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The shape of the DynamoDB membership table: key and attribute names and reserved sort keys. The deployment
/// template and any tool that reads the table directly depend on these names, so they never change.
/// </summary>
/// <remarks>
/// <para>One table holds any number of clusters. Partition key <see cref="PartitionKey"/> is the Orleans cluster id;
/// sort key <see cref="SortKey"/> is the silo identity (<c>SiloAddress.ToParsableString()</c>, e.g.
/// <c>10.0.1.7:11111@1234567</c>) for silo rows. Sort keys starting with <see cref="ReservedPrefix"/> belong to
/// non-silo items of the cluster: <see cref="VersionSortKey"/> (the table version), <see cref="LeaseSortKey"/>
/// (the manager's lease), <see cref="CertificateSortKey"/> (the cluster's TLS certificate), <c>$turn</c> (the queue of membership writes) and the change log
/// (<see cref="ChangeLogPrefix"/>). Silo identities never start with <c>$</c>. Silo rows and the version item sort at
/// or after <see cref="VersionSortKey"/> and every other reserved item before it, so a read of the membership is one
/// range of sort keys.</para>
/// <para>Every item carries <see cref="ExpiresAt"/> (epoch seconds) when a time to live is configured, so the
/// partitions of clusters whose manager vanished expire once TTL is enabled on that attribute.</para>
/// </remarks>
internal static class DynamoDBMembershipSchema
{
    /// <summary>Partition key (string): the Orleans cluster id.</summary>
    public const string PartitionKey = "ClusterId";

    /// <summary>Sort key (string): the silo identity, or a reserved key starting with <see cref="ReservedPrefix"/>.</summary>
    public const string SortKey = "SiloIdentity";

    /// <summary>Sort keys starting with this prefix are reserved for non-silo items of a cluster.</summary>
    public const string ReservedPrefix = "$";

    /// <summary>Sort key of the cluster's table-version item.</summary>
    public const string VersionSortKey = "$version";

    /// <summary>Sort key reserved for the manager's lease item.</summary>
    public const string LeaseSortKey = "$lease";

    /// <summary>
    /// Sort key of the cluster's TLS certificate item (<see cref="CertificatePem"/>): how the manager hands its silos
    /// the cluster's certificate and key, readable only by whom the table's permissions let read the partition.
    /// </summary>
    public const string CertificateSortKey = "$tls";

    /// <summary>Certificate item: the certificate and its private key (string, PEM).</summary>
    public const string CertificatePem = "Pem";

    /// <summary>
    /// Sort keys of the change log: <c>$change#</c> and the table version in ten digits. Each item holds what that
    /// version changed (<see cref="Changed"/>, <see cref="Removed"/>) and the version item's ETags before
    /// (<see cref="PreviousETag"/>) and after (<see cref="ETag"/>) it, so a reader can prove the log continues its
    /// snapshot.
    /// </summary>
    public const string ChangeLogPrefix = "$change#";

    /// <summary>Change log item: the rows the version wrote (list of complete row items).</summary>
    public const string Changed = "Changed";

    /// <summary>Change log item: the silo identities whose rows the version removed (list of strings).</summary>
    public const string Removed = "Removed";

    /// <summary>Change log item: the ETag of the version item before this version.</summary>
    public const string PreviousETag = "PreviousETag";

    /// <summary>Time-to-live attribute (number, epoch seconds) on every item; enable DynamoDB TTL on it.</summary>
    public const string ExpiresAt = "ExpiresAt";

    /// <summary>Opaque concurrency token (string) of a silo row or of the version item.</summary>
    public const string ETag = "ETag";

    /// <summary>Version item: the membership table version (number).</summary>
    public const string Version = "Version";

    /// <summary>
    /// Version item: the rows the last committed version changed (map of silo identity to the row's new ETag, or
    /// to an empty string for a removed row), which lets readers prove that a snapshot is complete.
    /// </summary>
    public const string LastChange = "LastChange";

    /// <summary>Silo row: the table version (number) at which the row was last written.</summary>
    public const string MembershipVersion = "MembershipVersion";

    /// <summary>Silo row: the silo status (string, a <c>SiloStatus</c> name such as <c>Active</c>).</summary>
    public const string Status = "Status";

    /// <summary>Silo row: the gateway (client-to-silo) port (number; 0 when the silo is not a gateway).</summary>
    public const string ProxyPort = "ProxyPort";

    /// <summary>Silo row: the host name (string; absent when null).</summary>
    public const string HostName = "HostName";

    /// <summary>Silo row: the silo name (string; absent when null).</summary>
    public const string SiloName = "SiloName";

    /// <summary>Silo row: the role name (string; absent when null).</summary>
    public const string RoleName = "RoleName";

    /// <summary>Silo row: the update zone (number).</summary>
    public const string UpdateZone = "UpdateZone";

    /// <summary>Silo row: the fault zone (number).</summary>
    public const string FaultZone = "FaultZone";

    /// <summary>Silo row: start time (string, UTC, ISO 8601 with 100 ns precision).</summary>
    public const string StartTime = "StartTime";

    /// <summary>Silo row: the last I-am-alive time (string, UTC, ISO 8601 with 100 ns precision).</summary>
    public const string IAmAliveTime = "IAmAliveTime";

    /// <summary>
    /// Silo row: suspect votes in order (list of maps with <see cref="SuspectSilo"/> and <see cref="SuspectTime"/>;
    /// absent when the entry has no list).
    /// </summary>
    public const string SuspectTimes = "SuspectTimes";

    /// <summary>Suspect vote: the identity of the suspecting silo (string).</summary>
    public const string SuspectSilo = "Silo";

    /// <summary>Suspect vote: the time of the vote (string, UTC, ISO 8601 with 100 ns precision).</summary>
    public const string SuspectTime = "Time";

    /// <summary>Whether <paramref name="sortKey"/> is reserved for a non-silo item.</summary>
    /// <param name="sortKey">A sort key value.</param>
    /// <returns><see langword="true"/> when the key starts with <see cref="ReservedPrefix"/>.</returns>
    public static bool IsReservedSortKey(string sortKey)
    {
        ArgumentNullException.ThrowIfNull(sortKey);
        return sortKey.StartsWith(ReservedPrefix, StringComparison.Ordinal);
    }

    /// <summary>The sort key of the change log item of table version <paramref name="version"/>.</summary>
    /// <param name="version">A table version (at least 1).</param>
    /// <returns>The sort key, ordered like the versions.</returns>
    public static string ChangeSortKey(long version)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ChangeLogPrefix}{version:D10}");
}
