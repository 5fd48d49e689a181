using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Runtime;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;
using static Orleans.Batch.Hosting.Membership.DynamoDB.MembershipItemConverter;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// What every membership commit shares: the version item's write and the change log in its transaction, the request
/// itself, and how to tell a lost race from a failure.
/// </summary>
internal static class DynamoDBMembershipCommit
{
    private const string ConditionalCheckFailed = "ConditionalCheckFailed";
    private const string TransactionConflict = "TransactionConflict";

    /// <summary>Sends <paramref name="items"/> as one transaction; a missing table is an error that says how to create it.</summary>
    public static async Task TransactAsync(IAmazonDynamoDB client, DynamoDBMembershipOptions options, List<TransactWriteItem> items, CancellationToken cancellationToken)
    {
        try
        {
            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems = items,
                // Idempotent across the SDK's own retries: a commit whose response was lost is not reported as a conflict.
                ClientRequestToken = Guid.NewGuid().ToString(),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(options, exception);
        }
    }

    /// <summary>
    /// The cancellation code of every item (null or <c>None</c> for items that did not fail) when the transaction lost a
    /// race (a condition failed or another transaction held an item); null when it failed for any other reason.
    /// </summary>
    public static List<string?>? ContentionCodes(TransactionCanceledException exception)
    {
        var codes = exception.CancellationReasons?.Select(reason => (string?)reason.Code).ToList();
        return codes is { Count: > 0 }
            && codes.Any(code => code is ConditionalCheckFailed or TransactionConflict)
            && codes.All(code => code is null or "None" or ConditionalCheckFailed or TransactionConflict) ? codes : null;
    }

    /// <summary>Whether <paramref name="code"/> says the item's condition failed or another transaction held it.</summary>
    public static bool Lost(string? code) => code is ConditionalCheckFailed or TransactionConflict;

    /// <summary>A new opaque ETag for a row or the version item.</summary>
    public static string NewEtag() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// The version item write of a commit to <paramref name="next"/>, or <see langword="null"/> when
    /// <paramref name="next"/> cannot follow the absent version item.
    /// </summary>
    public static VersionWrite? VersionWriteFor(
        string tableName, string clusterId, TableVersion next, IReadOnlyDictionary<string, string> lastChange, long? expiresAt)
    {
        var etag = NewEtag();
        if (next.VersionEtag == DynamoDBMembershipStore.AbsentVersionEtag)
        {
            // The first commit of a cluster creates its version item.
            return next.Version != 1 ? null : new VersionWrite(new TransactWriteItem
            {
                Put = new Put
                {
                    TableName = tableName,
                    Item = ToVersionItem(clusterId, next.Version, etag, lastChange, expiresAt),
                    ConditionExpression = "attribute_not_exists(#sk)",
                    ExpressionAttributeNames = new() { ["#sk"] = Schema.SortKey },
                },
            }, etag);
        }

        var update = new Update
        {
            TableName = tableName,
            Key = Key(clusterId, Schema.VersionSortKey),
            ConditionExpression = "#etag = :expectedEtag AND #version = :previousVersion",
            ExpressionAttributeNames = new()
            {
                ["#etag"] = Schema.ETag,
                ["#version"] = Schema.Version,
                ["#lastChange"] = Schema.LastChange,
                ["#exp"] = Schema.ExpiresAt,
            },
            ExpressionAttributeValues = new()
            {
                [":expectedEtag"] = new AttributeValue { S = next.VersionEtag },
                [":previousVersion"] = Number((long)next.Version - 1),
                [":version"] = Number(next.Version),
                [":newEtag"] = new AttributeValue { S = etag },
                [":lastChange"] = LastChangeValue(lastChange),
            },
        };
        update.UpdateExpression = expiresAt is not null
            ? "SET #version = :version, #etag = :newEtag, #lastChange = :lastChange, #exp = :exp"
            : "SET #version = :version, #etag = :newEtag, #lastChange = :lastChange REMOVE #exp";
        if (expiresAt is not null)
        {
            update.ExpressionAttributeValues[":exp"] = Number(expiresAt.Value);
        }

        return new VersionWrite(new TransactWriteItem { Update = update }, etag);
    }

    /// <summary>
    /// Adds the change log item of <paramref name="next"/> to a commit, and the removal of the item that falls out of
    /// the log (<see cref="DynamoDBMembershipOptions.ChangeLogLength"/> versions back).
    /// </summary>
    public static void AddChangeLog(
        DynamoDBMembershipOptions options, List<TransactWriteItem> items, string clusterId, TableVersion next, string newEtag,
        IReadOnlyList<Dictionary<string, AttributeValue>> changed, IReadOnlyList<string> removed, long? expiresAt)
    {
        var length = options.ChangeLogLength;
        if (length == 0)
        {
            return;
        }

        var change = new Dictionary<string, AttributeValue>
        {
            [Schema.PartitionKey] = new() { S = clusterId },
            [Schema.SortKey] = new() { S = Schema.ChangeSortKey(next.Version) },
            [Schema.ETag] = new() { S = newEtag },
            [Schema.PreviousETag] = new() { S = next.VersionEtag },
        };
        if (changed.Count > 0)
        {
            change[Schema.Changed] = new AttributeValue { L = [.. changed.Select(row => new AttributeValue { M = row })] };
        }

        if (removed.Count > 0)
        {
            change[Schema.Removed] = new AttributeValue { L = [.. removed.Select(identity => new AttributeValue { S = identity })] };
        }

        if (expiresAt is not null)
        {
            change[Schema.ExpiresAt] = Number(expiresAt.Value);
        }

        items.Add(new TransactWriteItem { Put = new Put { TableName = options.TableName, Item = change } });
        if (next.Version - (long)length >= 1)
        {
            items.Add(new TransactWriteItem { Delete = new Delete { TableName = options.TableName, Key = Key(clusterId, Schema.ChangeSortKey(next.Version - (long)length)) } });
        }
    }
}

/// <summary>The version item's part of a commit, and the ETag it gives the new version.</summary>
internal readonly record struct VersionWrite(TransactWriteItem Item, string ETag);
