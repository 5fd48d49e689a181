using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Batch.Hosting.Security.Internal;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Keeps a cluster's certificate as the <c>$tls</c> item of its partition: encrypted at rest like the whole table,
/// readable by the roles that may read the table, expiring (TTL) and deleted with the partition.
/// </summary>
internal sealed class DynamoDBClusterCertificateStore(IAmazonDynamoDB client, DynamoDBMembershipOptions options, TimeProvider timeProvider) : IClusterCertificateStore
{
    /// <inheritdoc />
    public string Describe(string clusterId) => $"item {DynamoDBMembershipSchema.CertificateSortKey} of partition {clusterId} in DynamoDB table {options.TableName}";

    /// <inheritdoc />
    public async Task PublishAsync(string clusterId, string pem, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentException.ThrowIfNullOrEmpty(pem);
        var item = Key(clusterId);
        item[DynamoDBMembershipSchema.CertificatePem] = new AttributeValue { S = pem };
        if (options.TimeToLive is { } ttl)
        {
            item[DynamoDBMembershipSchema.ExpiresAt] = new AttributeValue { N = timeProvider.GetUtcNow().Add(ttl).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
        }

        await client.PutItemAsync(new PutItemRequest { TableName = options.TableName, Item = item }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(clusterId),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item && item.TryGetValue(DynamoDBMembershipSchema.CertificatePem, out var pem) ? pem.S : null;
    }

    private static Dictionary<string, AttributeValue> Key(string clusterId) => new()
    {
        [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
        [DynamoDBMembershipSchema.SortKey] = new() { S = DynamoDBMembershipSchema.CertificateSortKey },
    };
}
