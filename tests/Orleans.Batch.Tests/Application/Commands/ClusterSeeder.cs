using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Configuration;
using Orleans.Runtime;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Tests.Application.Commands;

/// <summary>
/// Writes clusters into real membership stores through the product's own tables and lease stores: a lease (or
/// none) and silo rows with chosen statuses and heartbeats, as a manager and its silos would have left them.
/// </summary>
internal static class ClusterSeeder
{
    /// <summary>A lease renewed <paramref name="ago"/> with the given timeout.</summary>
    public static ManagerLease Lease(TimeSpan ago, TimeSpan timeout) => new(7, DateTimeOffset.UtcNow - ago, timeout, "test-host pid 1");

    public static async Task SeedDynamoDBAsync(IAmazonDynamoDB client, string serviceUrl, string table, string clusterId, ManagerLease? lease, params (SiloStatus Status, TimeSpan HeartbeatAgo)[] rows)
    {
        var options = new DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(serviceUrl), CreateIfNotExists = true };
        using var membership = new DynamoDBMembershipTable(
            MsOptions.Create(options),
            MsOptions.Create(new ClusterOptions { ClusterId = clusterId }),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            client);
        await SeedAsync(membership, new DynamoDBManagerLeaseStore(client, options, TimeProvider.System), clusterId, lease, rows);
    }

    public static async Task SeedLocalAsync(string directory, string clusterId, ManagerLease? lease, params (SiloStatus Status, TimeSpan HeartbeatAgo)[] rows)
    {
        var options = new LocalMembershipOptions { Directory = directory };
        var membership = new FileMembershipTable(
            MsOptions.Create(options),
            MsOptions.Create(new ClusterOptions { ClusterId = clusterId }),
            NullLogger<FileMembershipTable>.Instance);
        await SeedAsync(membership, new FileManagerLeaseStore(options), clusterId, lease, rows);
    }

    /// <summary>Every item of every partition of a table, as (cluster, sort key) pairs, sorted.</summary>
    public static async Task<List<string>> ItemsAsync(IAmazonDynamoDB client, string table)
    {
        var items = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            items.AddRange(response.Items.Select(i => $"{i[DynamoDBMembershipSchema.PartitionKey].S}/{i[DynamoDBMembershipSchema.SortKey].S}"));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        items.Sort(StringComparer.Ordinal);
        return items;
    }

    private static async Task SeedAsync(IMembershipTable table, IManagerLeaseStore leases, string clusterId, ManagerLease? lease, (SiloStatus Status, TimeSpan HeartbeatAgo)[] rows)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await table.InitializeMembershipTableAsync(true, cancellationToken);
        if (lease is not null)
        {
            await leases.WriteAsync(clusterId, lease, cancellationToken);
        }

        for (var i = 0; i < rows.Length; i++)
        {
            var heartbeat = DateTime.UtcNow - rows[i].HeartbeatAgo;
            var entry = new MembershipEntry
            {
                SiloAddress = SiloAddress.New(IPAddress.Loopback, 20_000 + i, 1000 + i),
                Status = rows[i].Status,
                ProxyPort = 30_000 + i,
                HostName = "test-host",
                SiloName = $"{clusterId}:{i}",
                StartTime = heartbeat,
                IAmAliveTime = heartbeat,
            };
            // Each commit changes the version's etag: read it afresh, as a silo does.
            var version = (await table.ReadAllAsync(cancellationToken)).Version.Next();
            (await table.InsertRowAsync(entry, version, cancellationToken)).ShouldBeTrue($"row {i} of cluster {clusterId}");
        }
    }
}
