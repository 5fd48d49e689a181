using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>The lease item on DynamoDB Local: marking it abandoned is a conditional write on the renewal counter.</summary>
public sealed class DynamoDBManagerLeaseStoreTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private readonly string _table = DynamoDBLocalFixture.UniqueTableName("lease");
    private DynamoDBManagerLeaseStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var options = new DynamoDBMembershipOptions { TableName = _table, ServiceUrl = new Uri(dynamo.ServiceUrl), CreateIfNotExists = true };
        await DynamoDBTableProvisioner.EnsureTableAsync(dynamo.Client, options, NullLogger.Instance, TimeProvider.System, TestContext.Current.CancellationToken);
        _store = new DynamoDBManagerLeaseStore(dynamo.Client, options, TimeProvider.System);
    }

    public async ValueTask DisposeAsync() => await dynamo.DeleteTableIfExistsAsync(_table);

    [Fact]
    public async Task Only_a_silo_that_saw_the_current_renewal_marks_the_lease_abandoned_and_only_once()
    {
        var token = TestContext.Current.CancellationToken;
        await _store.WriteAsync("c1", new ManagerLease(4, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), "manager"), token);
        await _store.WriteAsync("c1", new ManagerLease(5, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), "manager"), token);

        (await _store.MarkAbandonedAsync("c1", seenRenewals: 4, token)).ShouldBeFalse("the manager renewed after the silo looked: it keeps its cluster");
        (await _store.ReadAsync("c1", token))!.Abandoned.ShouldBeFalse();
        (await _store.MarkAbandonedAsync("c1", seenRenewals: 5, token)).ShouldBeTrue();
        (await _store.ReadAsync("c1", token))!.Abandoned.ShouldBeTrue();
        (await _store.MarkAbandonedAsync("c1", seenRenewals: 5, token)).ShouldBeFalse("another silo got there first");
        (await _store.MarkAbandonedAsync("no-such-cluster", seenRenewals: 0, token)).ShouldBeFalse();
    }
}
