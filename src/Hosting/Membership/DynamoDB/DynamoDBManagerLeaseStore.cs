using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Keeps a cluster's manager lease as the <c>$lease</c> item of its partition in the membership table, so it
/// expires (TTL) and is deleted with the cluster like every other item of the partition.
/// </summary>
internal sealed class DynamoDBManagerLeaseStore(IAmazonDynamoDB client, DynamoDBMembershipOptions options, TimeProvider timeProvider) : IManagerLeaseStore
{
    internal const string Renewals = "Renewals";
    internal const string RenewedAt = "RenewedAt";
    internal const string TimeoutSeconds = "OrphanTimeoutSeconds";
    internal const string Holder = "Holder";
    internal const string HolderHost = "HolderHost";
    internal const string HolderProcessId = "HolderProcessId";
    internal const string HolderStartedAt = "HolderStartedAt";
    internal const string Abandoned = "Abandoned";

    /// <inheritdoc />
    public async Task<bool> WriteAsync(string clusterId, ManagerLease lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(lease);
        var item = new Dictionary<string, AttributeValue>
        {
            [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
            [DynamoDBMembershipSchema.SortKey] = new() { S = DynamoDBMembershipSchema.LeaseSortKey },
            [Renewals] = Number(lease.Renewals),
            [RenewedAt] = Number(lease.RenewedAt.ToUnixTimeMilliseconds()),
            [TimeoutSeconds] = Number((long)Math.Ceiling(lease.Timeout.TotalSeconds)),
            [Holder] = new() { S = lease.Holder },
        };
        if (lease.HostName is { Length: > 0 } host)
        {
            item[HolderHost] = new() { S = host };
        }

        if (lease.ProcessId is { } pid)
        {
            item[HolderProcessId] = Number(pid);
        }

        if (lease.ProcessStartedAt is { } started)
        {
            item[HolderStartedAt] = Number(started.ToUnixTimeMilliseconds());
        }

        if (lease.Abandoned)
        {
            item[Abandoned] = new() { BOOL = true };
        }
        if (options.TimeToLive is { } ttl)
        {
            item[DynamoDBMembershipSchema.ExpiresAt] = Number(timeProvider.GetUtcNow().Add(ttl).ToUnixTimeSeconds());
        }

        var request = new PutItemRequest { TableName = options.TableName, Item = item };
        if (!lease.Abandoned)
        {
            request.ConditionExpression = "attribute_not_exists(#abandoned) OR #abandoned = :false";
            request.ExpressionAttributeNames = new() { ["#abandoned"] = Abandoned };
            request.ExpressionAttributeValues = new() { [":false"] = new() { BOOL = false } };
        }

        try
        {
            await client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<ManagerLease?> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue>
            {
                [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
                [DynamoDBMembershipSchema.SortKey] = new() { S = DynamoDBMembershipSchema.LeaseSortKey },
            },
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? Parse(clusterId, item) : null;
    }

    /// <inheritdoc />
    public async Task<bool> MarkAbandonedAsync(string clusterId, long seenRenewals, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = new Dictionary<string, AttributeValue>
                {
                    [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
                    [DynamoDBMembershipSchema.SortKey] = new() { S = DynamoDBMembershipSchema.LeaseSortKey },
                },
                UpdateExpression = "SET #abandoned = :true",
                ConditionExpression = "#renewals = :seen AND attribute_not_exists(#abandoned)",
                ExpressionAttributeNames = new() { ["#abandoned"] = Abandoned, ["#renewals"] = Renewals },
                ExpressionAttributeValues = new() { [":true"] = new() { BOOL = true }, [":seen"] = Number(seenRenewals) },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Every cluster in the table that has a lease (a Scan: for the <c>list</c> and <c>cleanup</c> commands only).</summary>
    public async IAsyncEnumerable<(string ClusterId, ManagerLease Lease)> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.ScanAsync(new ScanRequest
            {
                TableName = options.TableName,
                FilterExpression = "#sk = :lease",
                ExpressionAttributeNames = new() { ["#sk"] = DynamoDBMembershipSchema.SortKey },
                ExpressionAttributeValues = new() { [":lease"] = new AttributeValue { S = DynamoDBMembershipSchema.LeaseSortKey } },
                ExclusiveStartKey = start,
                ConsistentRead = true,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Items ?? [])
            {
                var clusterId = item[DynamoDBMembershipSchema.PartitionKey].S;
                yield return (clusterId, Parse(clusterId, item));
            }

            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    internal static ManagerLease Parse(string clusterId, Dictionary<string, AttributeValue> item)
    {
        long Read(string name) => item.TryGetValue(name, out var value) && long.TryParse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new MalformedMembershipRowException($"cluster '{clusterId}'", DynamoDBMembershipSchema.LeaseSortKey, name, "is missing or not a whole number");
        return new ManagerLease(
            Read(Renewals),
            DateTimeOffset.FromUnixTimeMilliseconds(Read(RenewedAt)),
            TimeSpan.FromSeconds(Read(TimeoutSeconds)),
            item.TryGetValue(Holder, out var holder) ? holder.S ?? string.Empty : string.Empty)
        {
            HostName = item.TryGetValue(HolderHost, out var host) ? host.S : null,
            ProcessId = item.TryGetValue(HolderProcessId, out var pid) && int.TryParse(pid.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null,
            ProcessStartedAt = item.TryGetValue(HolderStartedAt, out var started) && long.TryParse(started.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            Abandoned = item.TryGetValue(Abandoned, out var abandoned) && abandoned.BOOL == true,
        };
    }

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
