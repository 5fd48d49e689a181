using System.Collections.Concurrent;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Runtime;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>
/// Reads that cost little when nothing changed: while the table version stays, a read is one small read of the
/// version item; statuses are always current, other silos' I-am-alive times at most SnapshotReuse old.
/// </summary>
public sealed class DynamoDBSnapshotReuseTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(30);
    private readonly string _tableName = DynamoDBLocalFixture.UniqueTableName("reuse");
    private readonly string _clusterId = $"reuse-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly List<IDisposable> _disposables = [];
    private AmazonDynamoDBClient _counted = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(Token);
        _counted = dynamo.CreateClient();
        _counted.BeforeRequestEvent += (_, e) => _requests.Enqueue(e is WebServiceRequestEventArgs w ? w.Request.GetType().Name.Replace("Request", string.Empty, StringComparison.Ordinal) : "?");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _counted.Dispose();
        await dynamo.DeleteTableIfExistsAsync(_tableName);
    }

    [Fact]
    public async Task A_read_of_an_unchanged_table_is_one_read_of_the_version_item_and_heartbeats_show_within_the_reuse()
    {
        var writer = await TableAsync(dynamo.Client, TimeProvider.System);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var reader = await TableAsync(_counted, time);
        var entry = Entry(SiloStatus.Active);
        await InsertAsync(writer, entry);

        (await ReadCountingAsync(reader)).Requests.ShouldBe(["GetItem", "Query"]);
        var (again, requests) = await ReadCountingAsync(reader);
        requests.ShouldBe(["GetItem"], "the version did not move: the last snapshot is reused");
        again.Members.Single().Item1.Status.ShouldBe(SiloStatus.Active);

        // A heartbeat does not move the version: within the reuse another silo still sees the older time ...
        var aliveAt = entry.IAmAliveTime.AddSeconds(20);
        await writer.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = aliveAt }, Token);
        // (each snapshot is reused for a random 75-100 % of the bound, so that silos do not all read at once) ...
        time.Advance((Reuse * 0.75) - TimeSpan.FromSeconds(1));
        (await ReadCountingAsync(reader)).Data.Members.Single().Item1.IAmAliveTime.ShouldBe(entry.IAmAliveTime);

        // ... and once the bound has passed, reads the rows again.
        time.Advance((Reuse * 0.25) + TimeSpan.FromSeconds(2));
        var (fresh, freshRequests) = await ReadCountingAsync(reader);
        freshRequests.ShouldBe(["GetItem", "Query"]);
        fresh.Members.Single().Item1.IAmAliveTime.ShouldBe(aliveAt);

        // A status change moves the version: seen at once, whatever the reuse.
        var (data, etag) = fresh.Members.Single();
        data.Status = SiloStatus.ShuttingDown;
        (await writer.UpdateRowAsync(data, etag, fresh.Version.Next(), Token)).ShouldBeTrue();
        var (changed, changedRequests) = await ReadCountingAsync(reader);
        changedRequests.ShouldBe(["GetItem", "Query"]);
        changed.Members.Single().Item1.Status.ShouldBe(SiloStatus.ShuttingDown);
    }

    [Fact]
    public async Task Entries_from_a_reused_snapshot_are_fresh_copies_so_changing_one_changes_nothing_else()
    {
        var writer = await TableAsync(dynamo.Client, TimeProvider.System);
        var reader = await TableAsync(_counted, TimeProvider.System);
        await InsertAsync(writer, Entry(SiloStatus.Active));

        var first = await reader.ReadAllAsync(Token);
        first.Members.Single().Item1.Status = SiloStatus.Dead;   // Orleans edits what it reads before writing it back

        (await reader.ReadAllAsync(Token)).Members.Single().Item1.Status.ShouldBe(SiloStatus.Active);
    }

    [Fact]
    public async Task The_gateway_list_is_read_again_only_when_the_version_moved()
    {
        var writer = await TableAsync(dynamo.Client, TimeProvider.System);
        var first = Entry(SiloStatus.Active);
        await InsertAsync(writer, first);
        var provider = new DynamoDBGatewayListProvider(
            MsOptions.Create(Options()),
            MsOptions.Create(new ClusterOptions { ClusterId = _clusterId }),
            MsOptions.Create(new GatewayOptions()),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            _counted);
        _disposables.Add(provider);

        (await provider.GetGatewaysAsync(Token)).Count.ShouldBe(1);
        _requests.Clear();
        (await provider.GetGatewaysAsync(Token)).Count.ShouldBe(1);
        _requests.ShouldBe(["GetItem"]);

        await InsertAsync(writer, Entry(SiloStatus.Active));
        _requests.Clear();
        (await provider.GetGatewaysAsync(Token)).Count.ShouldBe(2);
        _requests.ShouldBe(["GetItem", "Query"]);
    }

    private async Task<(MembershipTableData Data, string[] Requests)> ReadCountingAsync(DynamoDBMembershipTable table)
    {
        _requests.Clear();
        var data = await table.ReadAllAsync(Token);
        return (data, [.. _requests]);
    }

    private DynamoDBMembershipOptions Options() => new()
    {
        TableName = _tableName,
        ServiceUrl = new Uri(dynamo.ServiceUrl),
        Region = "us-east-1",
        CreateIfNotExists = true,
        SnapshotReuse = Reuse,
    };

    private async Task<DynamoDBMembershipTable> TableAsync(IAmazonDynamoDB client, TimeProvider time)
    {
        var table = new DynamoDBMembershipTable(
            MsOptions.Create(Options()),
            MsOptions.Create(new ClusterOptions { ClusterId = _clusterId }),
            NullLoggerFactory.Instance,
            time,
            client);
        _disposables.Add(table);
        await table.InitializeMembershipTableAsync(true, Token);
        return table;
    }

    private static async Task InsertAsync(IMembershipTable table, MembershipEntry entry)
    {
        var data = await table.ReadAllAsync(Token);
        (await table.InsertRowAsync(entry, data.Version.Next(), Token)).ShouldBeTrue();
    }

    private static MembershipEntry Entry(SiloStatus status)
    {
        var at = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Parse("10.1.2.3"), 11111, Random.Shared.Next(1, int.MaxValue)),
            Status = status,
            ProxyPort = 30000,
            HostName = "host",
            SiloName = "silo",
            StartTime = at,
            IAmAliveTime = at,
        };
    }
}
