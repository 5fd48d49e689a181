using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Checks that the membership table exists with the expected key schema, and creates it (with TTL enabled) when
/// <see cref="DynamoDBMembershipOptions.CreateIfNotExists"/> asks for it.
/// </summary>
internal static class DynamoDBTableProvisioner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ActivationTimeout = TimeSpan.FromMinutes(5);

    public static async Task EnsureTableAsync(
        IAmazonDynamoDB client, DynamoDBMembershipOptions options, ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var table = await DescribeAsync(client, options.TableName, cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            if (!options.CreateIfNotExists)
            {
                throw TableMissing(options, inner: null);
            }

            table = await CreateAsync(client, options, logger, cancellationToken).ConfigureAwait(false);
        }

        CheckKeySchema(options.TableName, table);
        if (table.TableStatus != TableStatus.ACTIVE)
        {
            await WaitUntilActiveAsync(client, options.TableName, logger, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (options.CreateIfNotExists && options.TimeToLive is not null)
        {
            // Also for a table another process created: its creator may have stopped before enabling TTL.
            await EnsureTimeToLiveAsync(client, options.TableName, logger, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The error for a missing table, naming the table and the setting that would create it.</summary>
    public static InvalidOperationException TableMissing(DynamoDBMembershipOptions options, Exception? inner)
    {
        var where = options.ServiceUrl is { } url ? $"at {url.AbsoluteUri}" : $"in region {options.Region ?? "(from the AWS region chain)"}";
        return new InvalidOperationException(
            $"The DynamoDB membership table '{options.TableName}' does not exist {where}. Create it with the deployment template, " +
            $"or set {DynamoDBMembershipOptions.SectionName}:{nameof(DynamoDBMembershipOptions.CreateIfNotExists)}=true to let the provider create it (local and test use).",
            inner);
    }

    internal static async Task<TableDescription?> DescribeAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
            return response.Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static async Task<TableDescription> CreateAsync(
        IAmazonDynamoDB client, DynamoDBMembershipOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var request = new CreateTableRequest
        {
            TableName = options.TableName,
            KeySchema =
            [
                new KeySchemaElement(Schema.PartitionKey, KeyType.HASH),
                new KeySchemaElement(Schema.SortKey, KeyType.RANGE),
            ],
            AttributeDefinitions =
            [
                new AttributeDefinition(Schema.PartitionKey, ScalarAttributeType.S),
                new AttributeDefinition(Schema.SortKey, ScalarAttributeType.S),
            ],
        };
        if (options.BillingMode == DynamoDBBillingMode.Provisioned)
        {
            request.BillingMode = BillingMode.PROVISIONED;
            request.ProvisionedThroughput = new ProvisionedThroughput(options.ReadCapacityUnits, options.WriteCapacityUnits);
        }
        else
        {
            request.BillingMode = BillingMode.PAY_PER_REQUEST;
        }

        logger.CreatingTable(options.TableName, request.BillingMode.Value);
        try
        {
            var response = await client.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
            return response.TableDescription;
        }
        catch (ResourceInUseException)
        {
            // Another silo created it first.
            return await DescribeAsync(client, options.TableName, cancellationToken).ConfigureAwait(false)
                   ?? throw new InvalidOperationException($"DynamoDB reported table '{options.TableName}' as in use, but it cannot be described.");
        }
    }

    internal static void CheckKeySchema(string tableName, TableDescription table)
    {
        var keys = table.KeySchema ?? [];
        var attributes = table.AttributeDefinitions ?? [];
        bool HasKey(string name, KeyType type)
            => keys.Any(key => key.AttributeName == name && key.KeyType == type)
               && attributes.Any(attribute => attribute.AttributeName == name && attribute.AttributeType == ScalarAttributeType.S);

        if (keys.Count != 2 || !HasKey(Schema.PartitionKey, KeyType.HASH) || !HasKey(Schema.SortKey, KeyType.RANGE))
        {
            var actual = string.Join(", ", keys.Select(key => $"{key.AttributeName} ({key.KeyType})"));
            throw new InvalidOperationException(
                $"DynamoDB table '{tableName}' is not a membership table: expected partition key '{Schema.PartitionKey}' (string) and sort key '{Schema.SortKey}' (string), found {actual}.");
        }
    }

    private static async Task WaitUntilActiveAsync(
        IAmazonDynamoDB client, string tableName, ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + ActivationTimeout;
        while (true)
        {
            var table = await DescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"DynamoDB table '{tableName}' disappeared while waiting for it to become ACTIVE.");
            if (table.TableStatus == TableStatus.ACTIVE)
            {
                return;
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"DynamoDB table '{tableName}' is still {table.TableStatus} after {ActivationTimeout}.");
            }

            logger.WaitingForTable(tableName, table.TableStatus?.Value ?? "unknown");
            await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureTimeToLiveAsync(IAmazonDynamoDB client, string tableName, ILogger logger, CancellationToken cancellationToken)
    {
        if (await IsTimeToLiveOnAsync(client, tableName, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = tableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = Schema.ExpiresAt, Enabled = true },
            }, cancellationToken).ConfigureAwait(false);
            logger.EnabledTimeToLive(tableName, Schema.ExpiresAt);
        }
        catch (AmazonDynamoDBException)
        {
            // Another process may have enabled it between our describe and update.
            if (!await IsTimeToLiveOnAsync(client, tableName, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private static async Task<bool> IsTimeToLiveOnAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        var response = await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
        var description = response.TimeToLiveDescription;
        if (description?.TimeToLiveStatus != TimeToLiveStatus.ENABLED && description?.TimeToLiveStatus != TimeToLiveStatus.ENABLING)
        {
            return false;
        }

        return description.AttributeName == Schema.ExpiresAt
            ? true
            : throw new InvalidOperationException(
                $"DynamoDB table '{tableName}' has time to live on attribute '{description.AttributeName}'; the membership provider writes '{Schema.ExpiresAt}'.");
    }
}
