using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Orleans membership table on DynamoDB: one table, one partition per cluster id (see
/// <see cref="DynamoDBMembershipSchema"/>).
/// </summary>
/// <remarks>
/// <para>Silos get it from <see cref="DynamoDBMembershipHostingExtensions.UseDynamoDBMembership(ISiloBuilder, Action{DynamoDBMembershipOptions})"/>.
/// The cluster manager constructs it directly to follow a cluster's progress (<see cref="ReadAllAsync"/>) and to
/// delete its partition at tear-down (<see cref="DeleteMembershipTableEntriesAsync"/>); constructing it sends no
/// request, and only <see cref="InitializeMembershipTableAsync"/> checks (or, when asked, creates) the table.</para>
/// <para>Guarantees: inserts and updates are one atomic compare-and-swap of the row and the table version, and
/// return <see langword="false"/> without side effects when a concurrent change wins; reads return consistent
/// snapshots (an empty cluster reads as version 0); the I-am-alive heartbeat writes only that column and the
/// expiry, never the row ETag or the table version; all reads are strongly consistent.</para>
/// </remarks>
internal sealed class DynamoDBMembershipTable : IMembershipTable, IDisposable
{
    private readonly DynamoDBStoreHandle _handle;

    /// <summary>Initializes a new instance of the <see cref="DynamoDBMembershipTable"/> class.</summary>
    /// <param name="options">The provider options; validated here.</param>
    /// <param name="clusterOptions">The cluster options; <see cref="ClusterOptions.ClusterId"/> selects the partition.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The time source (item expiry and retry delays).</param>
    /// <param name="client">
    /// A client to use (the caller keeps ownership), or <see langword="null"/> to create one from
    /// <paramref name="options"/> with <see cref="DynamoDBClientFactory"/> on first use and dispose it with the table.
    /// </param>
    /// <param name="turns">
    /// Where the silo's membership turn is held (see <see cref="MembershipTurnContext"/>), so that its own transitions
    /// are written in its turn; null for a table used outside of a silo.
    /// </param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> are invalid.</exception>
    /// <exception cref="ArgumentException">The cluster id is missing.</exception>
    public DynamoDBMembershipTable(
        IOptions<DynamoDBMembershipOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        IAmazonDynamoDB? client = null,
        MembershipTurnContext? turns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ClusterId = clusterOptions.Value.ClusterId;
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw new ArgumentException("ClusterOptions.ClusterId is required: it selects the cluster's partition of the membership table.", nameof(clusterOptions));
        }

        _handle = new DynamoDBStoreHandle(options.Value, loggerFactory.CreateLogger<DynamoDBMembershipTable>(), timeProvider, client, turns);
    }

    /// <summary>Gets the cluster id whose partition this table reads and writes.</summary>
    public string ClusterId { get; }

    private DynamoDBMembershipStore Store => _handle.Store;

    /// <summary>Checks that the table exists with the membership key schema, creating it when configured to.</summary>
    /// <param name="tryInitTableVersion">Ignored: the first commit of a cluster creates its version item.</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>A task representing the operation.</returns>
    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Store.EnsureTableAsync(cancellationToken);
    }

    /// <summary>Deletes every item of the cluster <paramref name="clusterId"/>: silo rows, the version item and reserved items.</summary>
    /// <param name="clusterId">The cluster to delete (usually <see cref="ClusterId"/>).</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>A task representing the operation.</returns>
    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        cancellationToken.ThrowIfCancellationRequested();
        return Store.DeletePartitionAsync(clusterId, cancellationToken);
    }

    /// <summary>Removes Dead rows last updated before <paramref name="beforeDate"/> (see <see cref="DefunctSiloPolicy"/>).</summary>
    /// <param name="beforeDate">The exclusive cut-off.</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>A task representing the operation.</returns>
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Store.CleanupAsync(ClusterId, beforeDate, cancellationToken);
    }

    /// <summary>Reads one silo's row together with the table version, atomically.</summary>
    /// <param name="key">The silo address.</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>The row (if present) and the table version.</returns>
    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Store.ReadRowAsync(ClusterId, key, cancellationToken);
    }

    /// <summary>Reads all silo rows of the cluster together with the table version, as one consistent snapshot.</summary>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>The rows and the table version (version 0 for an empty cluster).</returns>
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Store.ReadAllAsync(ClusterId, cancellationToken);
    }

    /// <summary>Inserts a new row and advances the table version, atomically.</summary>
    /// <param name="entry">The entry to insert.</param>
    /// <param name="tableVersion">The next table version, carrying the ETag of the version it follows.</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns><see langword="false"/> when the row exists or the table version moved on (nothing is written).</returns>
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken = default)
    {
        CheckEntry(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        cancellationToken.ThrowIfCancellationRequested();
        return Store.TryWriteRowAsync(ClusterId, entry, expectedRowEtag: null, tableVersion, cancellationToken);
    }

    /// <summary>Replaces an existing row and advances the table version, atomically.</summary>
    /// <param name="entry">The new content of the row.</param>
    /// <param name="etag">The row ETag from the read the update is based on.</param>
    /// <param name="tableVersion">The next table version, carrying the ETag of the version it follows.</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>
    /// <see langword="false"/> when the row is missing, its ETag differs, or the table version moved on (nothing is written).
    /// </returns>
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken = default)
    {
        CheckEntry(entry);
        ArgumentNullException.ThrowIfNull(etag);
        ArgumentNullException.ThrowIfNull(tableVersion);
        cancellationToken.ThrowIfCancellationRequested();
        return Store.TryWriteRowAsync(ClusterId, entry, etag, tableVersion, cancellationToken);
    }

    /// <summary>
    /// Writes the silo's I-am-alive time (and the item expiry) with one write that changes neither the row ETag nor
    /// the table version. A heartbeat for a row that no longer exists is logged and ignored.
    /// </summary>
    /// <param name="entry">The entry carrying the silo address and the new I-am-alive time.</param>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>A task representing the operation.</returns>
    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken = default)
    {
        CheckEntry(entry);
        cancellationToken.ThrowIfCancellationRequested();
        return Store.WriteIAmAliveAsync(ClusterId, entry, cancellationToken);
    }

    /// <summary>Disposes the DynamoDB client if the table created it.</summary>
    public void Dispose() => _handle.Dispose();

    Task IMembershipTable.InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    Task IMembershipTable.DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    Task IMembershipTable.CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    Task<MembershipTableData> IMembershipTable.ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    Task<MembershipTableData> IMembershipTable.ReadAll() => ReadAllAsync(CancellationToken.None);

    Task<bool> IMembershipTable.InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    Task<bool> IMembershipTable.UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    Task IMembershipTable.UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    private static void CheckEntry(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.SiloAddress is null)
        {
            throw new ArgumentException("The membership entry has no silo address.", nameof(entry));
        }
    }
}
