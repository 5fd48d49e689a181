using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>
/// Ours with DynamoDB membership, as the Launcher's local backend builds it with <c>--dynamodb-endpoint</c>
/// (<see cref="DynamoDBClusterMembership"/>, default table name, table created on a loopback endpoint). The manager
/// and the silos reach DynamoDB Local through two counting proxies, so their requests are counted apart.
/// </summary>
/// <param name="managerEndpoint">Where the manager (its client, monitor and lease) sends its requests.</param>
/// <param name="siloEndpoint">Where the silos send theirs (passed to them as <c>OrleansBatch:DynamoDB:ServiceUrl</c>).</param>
/// <param name="direct">A client straight to DynamoDB Local, for the harness's own (uncounted) checks.</param>
internal sealed class DynamoDBMembership(Uri managerEndpoint, Uri siloEndpoint, IAmazonDynamoDB direct) : OursMembership
{

    public override string Label => "DynamoDB";

    public override IClusterMembership Create(string clusterId, string runDirectory, ILoggerFactory loggerFactory) =>
        new SiloEndpoint(
            new DynamoDBClusterMembership(
                clusterId,
                new DynamoDBMembershipOptions { ServiceUrl = managerEndpoint, CreateIfNotExists = true },
                loggerFactory),
            siloEndpoint.AbsoluteUri);

    public override async Task<bool> RowsGoneAsync(string clusterId, string runDirectory, CancellationToken cancellationToken)
    {
        var response = await direct.QueryAsync(
            new QueryRequest
            {
                TableName = DynamoDBMembershipOptions.DefaultTableName,
                KeyConditionExpression = "#pk = :pk",
                ExpressionAttributeNames = new() { ["#pk"] = DynamoDBMembershipSchema.PartitionKey },
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = clusterId } },
                ConsistentRead = true,
                Select = Select.COUNT,
            },
            cancellationToken);
        return response.Count is null or 0;
    }

    /// <summary>The real membership, except that silos are told to use another endpoint than the manager.</summary>
    private sealed class SiloEndpoint(DynamoDBClusterMembership inner, string siloServiceUrl) : IClusterMembership, IDisposable
    {
        public MembershipKind Kind => inner.Kind;

        public string Description => inner.Description;

        public SiloSettings ConfigureSilos(SiloSettings settings)
        {
            var configured = inner.ConfigureSilos(settings);
            var dynamo = configured.DynamoDB!;
            return configured with
            {
                DynamoDB = new DynamoDBMembershipOptions { TableName = dynamo.TableName, Region = dynamo.Region, ServiceUrl = new Uri(siloServiceUrl), TimeToLive = dynamo.TimeToLive },
            };
        }

        public IManagerLeaseStore Leases => inner.Leases;

        public Task PrepareAsync(CancellationToken cancellationToken) => inner.PrepareAsync(cancellationToken);

        public void ConfigureClient(IClientBuilder client) => inner.ConfigureClient(client);

        public Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public Task DeleteAsync(CancellationToken cancellationToken) => inner.DeleteAsync(cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
