namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Options of the DynamoDB membership provider, bound from the <c>OrleansBatch:DynamoDB</c> configuration section
/// (<see cref="SectionName"/>; from the environment <c>OrleansBatch__DynamoDB__TableName</c> and so on).
/// </summary>
/// <remarks>
/// The cluster partition is chosen by <c>ClusterOptions.ClusterId</c>. Credentials always come from the AWS SDK's
/// default credential chain (environment, profile, SSO, container or instance credentials); see
/// <see cref="DynamoDBClientFactory"/>.
/// </remarks>
public sealed class DynamoDBMembershipOptions
{
    /// <summary>The configuration section these options are bound from: <c>OrleansBatch:DynamoDB</c>.</summary>
    public const string SectionName = "OrleansBatch:DynamoDB";

    /// <summary>The default <see cref="TableName"/>: <c>OrleansBatchMembership</c>.</summary>
    public const string DefaultTableName = "OrleansBatchMembership";

    /// <summary>
    /// Gets or sets the name of the membership table (3-255 characters of <c>a-z A-Z 0-9 _ - .</c>).
    /// Default: <see cref="DefaultTableName"/>.
    /// </summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Gets or sets the AWS region of the table, e.g. <c>us-east-1</c>. Default: <see langword="null"/>, which uses
    /// the SDK's region chain (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile, instance metadata).
    /// With <see cref="ServiceUrl"/> it is only the signing region (default <c>us-east-1</c>).
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Gets or sets an explicit endpoint, e.g. <c>http://127.0.0.1:8000</c> for DynamoDB Local.
    /// Default: <see langword="null"/> (the regional AWS endpoint).
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// Gets or sets whether the table is created (with TTL enabled on <c>ExpiresAt</c>) when it does not exist.
    /// Meant for local and test use; in production the deployment template creates the table.
    /// Default: <see langword="false"/>.
    /// </summary>
    public bool CreateIfNotExists { get; set; }

    /// <summary>
    /// Gets or sets the billing mode of a table created by the provider (only with <see cref="CreateIfNotExists"/>).
    /// Default: <see cref="DynamoDBBillingMode.PayPerRequest"/>.
    /// </summary>
    public DynamoDBBillingMode BillingMode { get; set; } = DynamoDBBillingMode.PayPerRequest;

    /// <summary>Gets or sets the read capacity units of a created table with provisioned billing. Default: 5.</summary>
    public int ReadCapacityUnits { get; set; } = 5;

    /// <summary>Gets or sets the write capacity units of a created table with provisioned billing. Default: 5.</summary>
    public int WriteCapacityUnits { get; set; } = 5;

    /// <summary>
    /// Gets or sets how long items live after their last write: every write (including each I-am-alive heartbeat)
    /// sets <c>ExpiresAt</c> to now plus this value, so the partition of a cluster whose silos and manager are gone
    /// expires (DynamoDB deletes expired items within a few days). At least one hour; <see langword="null"/> writes
    /// no <c>ExpiresAt</c>. Default: 1 day.
    /// </summary>
    public TimeSpan? TimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets how long a read of the whole partition may be reused while the table version has not moved.
    /// Each read first fetches the version item (one small read); only when the version moved, or the last full
    /// read is older than this, is the partition queried again. Row statuses and ETags are always current (every
    /// change of them moves the version); only other silos' I-am-alive times can be this much older. Zero reads
    /// the partition every time. Default: 10 seconds; silos set it from the cluster size (see
    /// <see cref="Configuration.ShortLivedClusterDefaults"/>).
    /// </summary>
    public TimeSpan SnapshotReuse { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how many of the latest membership changes the partition keeps as a change log (one small item per
    /// table version, written in the same transaction as the change). A silo whose last read is at most this many
    /// versions old reads only the changes since (cheap, eventually consistent reads that it checks for
    /// completeness) instead of the whole partition, which is what makes a thousand silos joining together
    /// affordable. Zero writes no log. Default: 256; silos set it from the cluster size (twice the silo count).
    /// </summary>
    public int ChangeLogLength { get; set; } = 256;
}
