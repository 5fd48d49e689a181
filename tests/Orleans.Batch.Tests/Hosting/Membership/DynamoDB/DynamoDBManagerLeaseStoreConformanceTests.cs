using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>The lease conformance suite against the lease item on DynamoDB Local (conditional writes).</summary>
public sealed class DynamoDBManagerLeaseStoreConformanceTests(DynamoDBLocalFixture dynamo) : ManagerLeaseStoreConformanceTests
{
    private readonly string _table = DynamoDBLocalFixture.UniqueTableName("lease");
    private DynamoDBManagerLeaseStore _store = null!;

    protected override IManagerLeaseStore Store => _store;

    public override async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(Token);
        var options = new DynamoDBMembershipOptions { TableName = _table, ServiceUrl = new Uri(dynamo.ServiceUrl), CreateIfNotExists = true };
        await DynamoDBTableProvisioner.EnsureTableAsync(dynamo.Client, options, NullLogger.Instance, TimeProvider.System, Token);
        _store = new DynamoDBManagerLeaseStore(dynamo.Client, options, TimeProvider.System);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await dynamo.DeleteTableIfExistsAsync(_table);
    }
}
