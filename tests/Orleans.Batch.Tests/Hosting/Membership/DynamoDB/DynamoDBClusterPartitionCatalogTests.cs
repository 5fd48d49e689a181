using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Runtime;
using static Orleans.Batch.Tests.Application.Commands.ClusterSeeder;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>The DynamoDB cluster catalog on DynamoDB Local: what it reads, what it deletes, and what it refuses.</summary>
public sealed class DynamoDBClusterPartitionCatalogTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task Lists_leases_and_rows_per_cluster_and_deletes_only_one_partition()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await dynamo.StartAsync(cancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("catalog");
        try
        {
            var lease = Lease(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90));
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, table, "c1", lease, (SiloStatus.Active, TimeSpan.FromSeconds(3)), (SiloStatus.Dead, TimeSpan.FromMinutes(1)), (SiloStatus.Active, TimeSpan.FromSeconds(1)));
            await SeedDynamoDBAsync(dynamo.Client, dynamo.ServiceUrl, table, "c2", lease: null, (SiloStatus.Joining, TimeSpan.FromSeconds(2)));
            using var catalog = new DynamoDBClusterPartitionCatalog(new DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(dynamo.ServiceUrl) });

            var partitions = await catalog.ListAsync(cancellationToken);

            partitions.Select(p => p.ClusterId).ShouldBe(["c1", "c2"]);
            var c1 = partitions[0];
            c1.Lease.ShouldNotBeNull();
            c1.Lease.Renewals.ShouldBe(lease.Renewals);
            c1.Lease.Timeout.ShouldBe(TimeSpan.FromSeconds(90));
            c1.Lease.RenewedAt.ToUnixTimeMilliseconds().ShouldBe(lease.RenewedAt.ToUnixTimeMilliseconds());
            (c1.ActiveSilos, c1.TotalSilos).ShouldBe((2, 3));
            c1.LastHeartbeat.ShouldNotBeNull();
            (DateTimeOffset.UtcNow - c1.LastHeartbeat.Value).ShouldBeInRange(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
            (partitions[1].Lease, partitions[1].ActiveSilos, partitions[1].TotalSilos).ShouldBe((null, 0, 1));

            (await catalog.ReadAsync("c2", cancellationToken)).ShouldBe(partitions[1]);
            (await catalog.ReadAsync("c3", cancellationToken)).ShouldBeNull();

            (await catalog.DeleteAsync("c1", cancellationToken)).ShouldBe(8, "three rows, the version, the lease and three change log items");
            (await catalog.ListAsync(cancellationToken)).Select(p => p.ClusterId).ShouldBe(["c2"]);
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task Refuses_a_table_that_is_not_a_membership_table()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await dynamo.StartAsync(cancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("foreign");
        await dynamo.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement("Id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("Id", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken);
        try
        {
            await dynamo.Client.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["Id"] = new() { S = "keep-me" } }, cancellationToken);
            using var catalog = new DynamoDBClusterPartitionCatalog(new DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(dynamo.ServiceUrl) });

            var error = await Should.ThrowAsync<InvalidOperationException>(() => catalog.ListAsync(cancellationToken));
            error.Message.ShouldStartWith($"DynamoDB table '{table}' is not a membership table");
            await Should.ThrowAsync<InvalidOperationException>(() => catalog.DeleteAsync("keep-me", cancellationToken));

            (await dynamo.Client.ScanAsync(new ScanRequest { TableName = table }, cancellationToken)).Count.ShouldBe(1);
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }
}
