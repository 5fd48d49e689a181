namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// The clusters of one membership store (a local directory or a DynamoDB table), for the <c>list</c> and
/// <c>cleanup</c> commands: every partition with its lease and rows, and deleting one partition. Never touches
/// anything outside its own store.
/// </summary>
internal interface IClusterPartitionCatalog
{
    /// <summary>Where the store is, for messages: a directory, or <c>DynamoDB table T at URL</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Whether a silo configured with <paramref name="siloConfiguration"/> (configuration keys such as
    /// <c>OrleansBatch:DynamoDB:TableName</c>, e.g. from a Batch job's environment) keeps its membership in this store:
    /// false when it names another store, null when the configuration does not say.
    /// </summary>
    /// <param name="siloConfiguration">The silo's <c>OrleansBatch:*</c> configuration.</param>
    /// <returns>Whether the silo's cluster belongs to this store, or null when unknown.</returns>
    bool? KeepsMembershipOf(IReadOnlyDictionary<string, string> siloConfiguration);

    /// <summary>Every cluster partition in the store.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The partitions, in no particular order.</returns>
    Task<IReadOnlyList<ClusterPartition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Reads one partition again (e.g. just before deleting it), or null when it has nothing.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The partition, or null.</returns>
    Task<ClusterPartition?> ReadAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>Deletes every item (rows, version, lease) of the cluster's partition.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>How many items (or files) were deleted.</returns>
    Task<int> DeleteAsync(string clusterId, CancellationToken cancellationToken);
}
