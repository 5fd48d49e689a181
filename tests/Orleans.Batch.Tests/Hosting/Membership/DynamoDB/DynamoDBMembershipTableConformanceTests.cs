using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>The membership conformance suite against the DynamoDB provider on DynamoDB Local (one table per test).</summary>
public sealed class DynamoDBMembershipTableConformanceTests(DynamoDBLocalFixture dynamo) : MembershipTableConformanceTests
{
    private readonly string _tableName = DynamoDBLocalFixture.UniqueTableName("conformance");
    private AmazonDynamoDBClient? _client;
    private long _requests;

    private DynamoDBMembershipOptions Options => new()
    {
        TableName = _tableName,
        ServiceUrl = new Uri(dynamo.ServiceUrl),
        Region = "us-east-1",
        CreateIfNotExists = true,
        SnapshotReuse = TimeSpan.FromSeconds(1),
    };

    // Reads reuse a snapshot while the version stays (see DynamoDBMembershipOptions.SnapshotReuse): short here.
    protected override TimeSpan IAmAliveStaleness => TimeSpan.FromSeconds(1.1);

    protected override long? StorageOperationCount => Interlocked.Read(ref _requests);

    public override async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(Token);
        _client = dynamo.CreateClient();
        _client.BeforeRequestEvent += (_, _) => Interlocked.Increment(ref _requests);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _client?.Dispose();
        await dynamo.DeleteTableIfExistsAsync(_tableName);
    }

    protected override async Task<IMembershipTable> CreateTableAsync(string clusterId)
    {
        var table = new DynamoDBMembershipTable(
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "conformance" }),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            _client);
        await table.InitializeMembershipTableAsync(true, Token);
        return table;
    }

    protected override async Task<IGatewayListProvider> CreateGatewayListProviderAsync(string clusterId)
    {
        var provider = new DynamoDBGatewayListProvider(
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "conformance" }),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions()),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            _client);
        await provider.InitializeGatewayListProviderAsync(Token);
        return provider;
    }

    protected override async Task<bool> IsClusterStorageEmptyAsync(string clusterId)
    {
        var response = await dynamo.Client.QueryAsync(new QueryRequest
        {
            TableName = _tableName,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = DynamoDBMembershipSchema.PartitionKey },
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = clusterId } },
            ConsistentRead = true,
        }, Token);
        return response.Count == 0;
    }
}
