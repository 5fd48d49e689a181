using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>Source-generated log messages of the DynamoDB membership provider.</summary>
internal static partial class DynamoDBMembershipLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Creating DynamoDB membership table {TableName} ({BillingMode})")]
    public static partial void CreatingTable(this ILogger logger, string tableName, string billingMode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Enabled time to live on attribute {AttributeName} of DynamoDB membership table {TableName}")]
    public static partial void EnabledTimeToLive(this ILogger logger, string tableName, string attributeName);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug,
        Message = "DynamoDB membership table {TableName} is {Status}; waiting for it to become ACTIVE")]
    public static partial void WaitingForTable(this ILogger logger, string tableName, string status);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug,
        Message = "Membership {Operation} of silo {Silo} at table version {Version} in cluster {ClusterId} lost to a concurrent change ({Reasons})")]
    public static partial void WriteContention(this ILogger logger, string operation, string silo, int version, string clusterId, string reasons);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug,
        Message = "Membership read of cluster {ClusterId} overlapped a concurrent change ({Reason}); reading again")]
    public static partial void InconsistentRead(this ILogger logger, string clusterId, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "I-am-alive update of silo {Silo} in cluster {ClusterId} found no row; the row was removed (cluster deleted or row cleaned up)")]
    public static partial void HeartbeatRowMissing(this ILogger logger, string silo, string clusterId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug,
        Message = "Could not refresh the expiry of the version item of cluster {ClusterId}; the next heartbeat tries again")]
    public static partial void VersionExpiryRefreshFailed(this ILogger logger, string clusterId, Exception exception);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Removed {Count} defunct silo rows (Dead, last updated before {BeforeDate:O}) from cluster {ClusterId}")]
    public static partial void RemovedDefunctRows(this ILogger logger, int count, DateTimeOffset beforeDate, string clusterId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning,
        Message = "Cleanup of defunct silo rows in cluster {ClusterId} kept losing to concurrent membership changes; the next cleanup retries")]
    public static partial void CleanupContention(this ILogger logger, string clusterId);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information,
        Message = "Deleted {Count} items of cluster {ClusterId} from DynamoDB membership table {TableName}")]
    public static partial void DeletedCluster(this ILogger logger, int count, string clusterId, string tableName);
}
