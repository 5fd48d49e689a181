using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The turn of a DynamoDB cluster: the <c>$turn</c> item of its partition, taken with a conditional put and given
/// back with a conditional delete. A turn expires after <see cref="TurnLifetime"/>, so a silo that died holding it
/// delays the others by at most that.
/// </summary>
internal sealed class DynamoDBMembershipTurnLock(IAmazonDynamoDB client, DynamoDBMembershipOptions options, TimeProvider timeProvider) : IMembershipTurnLock
{
    /// <summary>The sort key of the turn item (reserved: ignored by reads, deleted with the cluster).</summary>
    public const string TurnSortKey = "$turn";

    /// <summary>How long a turn lasts if its holder never gives it back.</summary>
    public static readonly TimeSpan TurnLifetime = TimeSpan.FromSeconds(10);

    private const string Holder = "Holder";
    private const string TurnExpiresAt = "TurnExpiresAt";

    /// <inheritdoc />
    public async Task<IAsyncDisposable?> TryEnterAsync(string clusterId, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString("N");
        var now = timeProvider.GetUtcNow();
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = new Dictionary<string, AttributeValue>
                {
                    [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
                    [DynamoDBMembershipSchema.SortKey] = new() { S = TurnSortKey },
                    [Holder] = new() { S = holder },
                    [TurnExpiresAt] = Number(now.Add(TurnLifetime).ToUnixTimeMilliseconds()),
                    [DynamoDBMembershipSchema.ExpiresAt] = Number(now.AddHours(1).ToUnixTimeSeconds()),
                },
                ConditionExpression = "attribute_not_exists(#holder) OR #expires < :now",
                ExpressionAttributeNames = new() { ["#holder"] = Holder, ["#expires"] = TurnExpiresAt },
                ExpressionAttributeValues = new() { [":now"] = Number(now.ToUnixTimeMilliseconds()) },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }

        return new Turn(this, clusterId, holder);
    }

    private async Task ReleaseAsync(string clusterId, string holder)
    {
        try
        {
            await client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = options.TableName,
                Key = new Dictionary<string, AttributeValue>
                {
                    [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
                    [DynamoDBMembershipSchema.SortKey] = new() { S = TurnSortKey },
                },
                ConditionExpression = "#holder = :me",
                ExpressionAttributeNames = new() { ["#holder"] = Holder },
                ExpressionAttributeValues = new() { [":me"] = new AttributeValue { S = holder } },
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // The turn expired and someone else has it: nothing of ours to give back.
        }
        catch (Amazon.Runtime.AmazonServiceException)
        {
            // It expires by itself.
        }
    }

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private sealed class Turn(DynamoDBMembershipTurnLock owner, string clusterId, string holder) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(owner.ReleaseAsync(clusterId, holder));
    }
}
