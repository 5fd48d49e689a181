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
/// Reads that cost little: while the table version stays, a read is one small read of the version item; when it
/// moved, a read of the changes since from the change log (the whole partition only when the log does not reach
/// back far enough or does not prove complete). Statuses are always current, other silos' I-am-alive times at most
/// SnapshotReuse old.
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
        _counted.BeforeRequestEvent += (_, e) => _requests.Enqueue(Describe(e));
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
        changedRequests.ShouldBe(["GetItem", "Query(changes)"]);
        changed.Members.Single().Item1.Status.ShouldBe(SiloStatus.ShuttingDown);
    }

    [Fact]
    public async Task A_read_after_changes_reads_only_the_changes_and_sees_what_a_full_read_sees()
    {
        var writer = await TableAsync(dynamo.Client, TimeProvider.System);
        var reader = await TableAsync(_counted, TimeProvider.System);
        var first = Entry(SiloStatus.Joining);
        await InsertAsync(writer, first);
        await InsertAsync(writer, Entry(SiloStatus.Active));
        await reader.ReadAllAsync(Token);

        // Five versions later: two silos joined, one became active, one left and was cleaned up.
        await InsertAsync(writer, Entry(SiloStatus.Joining));
        var leaving = Entry(SiloStatus.Dead);
        await InsertAsync(writer, leaving);
        await UpdateStatusAsync(writer, first, SiloStatus.Active);
        await writer.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(leaving.IAmAliveTime).AddHours(1), Token);

        var (incremental, requests) = await ReadCountingAsync(reader);

        requests.ShouldBe(["GetItem", "Query(changes)"]);
        var full = await (await TableAsync(dynamo.Client, TimeProvider.System)).ReadAllAsync(Token);
        incremental.Version.Version.ShouldBe(full.Version.Version);
        incremental.Version.VersionEtag.ShouldBe(full.Version.VersionEtag);
        Rows(incremental).ShouldBe(Rows(full));
        Rows(incremental).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_reader_further_behind_than_the_log_reads_the_whole_partition_and_the_log_keeps_its_length()
    {
        var writer = await TableAsync(dynamo.Client, TimeProvider.System, changeLogLength: 2);
        var reader = await TableAsync(_counted, TimeProvider.System, changeLogLength: 2);
        await InsertAsync(writer, Entry(SiloStatus.Active));
        await reader.ReadAllAsync(Token);
        for (var i = 0; i < 3; i++)
        {
            await InsertAsync(writer, Entry(SiloStatus.Active));
        }

        var (data, requests) = await ReadCountingAsync(reader);

        requests.ShouldBe(["GetItem", "Query"]);
        data.Members.Count.ShouldBe(4);
        var log = (await dynamo.QueryPartitionAsync(_tableName, _clusterId))
            .Select(item => item[DynamoDBMembershipSchema.SortKey].S)
            .Where(key => key.StartsWith(DynamoDBMembershipSchema.ChangeLogPrefix, StringComparison.Ordinal));
        log.ShouldBe([DynamoDBMembershipSchema.ChangeSortKey(3), DynamoDBMembershipSchema.ChangeSortKey(4)]);
    }

    [Fact]
    public async Task A_change_log_with_a_gap_is_not_trusted()
    {
        var writer = await TableAsync(dynamo.Client, TimeProvider.System);
        var reader = await TableAsync(_counted, TimeProvider.System);
        await InsertAsync(writer, Entry(SiloStatus.Active));
        await reader.ReadAllAsync(Token);
        await InsertAsync(writer, Entry(SiloStatus.Active));
        await InsertAsync(writer, Entry(SiloStatus.Active));
        await dynamo.Client.DeleteItemAsync(_tableName, new()
        {
            [DynamoDBMembershipSchema.PartitionKey] = new() { S = _clusterId },
            [DynamoDBMembershipSchema.SortKey] = new() { S = DynamoDBMembershipSchema.ChangeSortKey(2) },
        }, Token);

        var (data, requests) = await ReadCountingAsync(reader);

        requests.ShouldBe(["GetItem", "Query(changes)", "Query(changes)", "Query"], "an eventually consistent read, a strongly consistent one, then the partition");
        data.Members.Count.ShouldBe(3);
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

    private static string Describe(EventArgs e) => e is WebServiceRequestEventArgs { Request: var request }
        ? request is Amazon.DynamoDBv2.Model.QueryRequest { KeyConditionExpression: var condition } && condition.Contains("BETWEEN", StringComparison.Ordinal)
            ? "Query(changes)"
            : request.GetType().Name.Replace("Request", string.Empty, StringComparison.Ordinal)
        : "?";

    private static List<string> Rows(MembershipTableData data) => [.. data.Members
        .Select(m => $"{m.Item1.SiloAddress.ToParsableString()} {m.Item1.Status} {m.Item2}")
        .Order(StringComparer.Ordinal)];

    private static async Task UpdateStatusAsync(IMembershipTable table, MembershipEntry entry, SiloStatus status)
    {
        var data = await table.ReadAllAsync(Token);
        var (row, etag) = data.Members.Single(m => m.Item1.SiloAddress.Equals(entry.SiloAddress));
        row.Status = status;
        (await table.UpdateRowAsync(row, etag, data.Version.Next(), Token)).ShouldBeTrue();
    }

    private DynamoDBMembershipOptions Options(int changeLogLength = 256) => new()
    {
        TableName = _tableName,
        ServiceUrl = new Uri(dynamo.ServiceUrl),
        Region = "us-east-1",
        CreateIfNotExists = true,
        SnapshotReuse = Reuse,
        ChangeLogLength = changeLogLength,
    };

    private async Task<DynamoDBMembershipTable> TableAsync(IAmazonDynamoDB client, TimeProvider time, int changeLogLength = 256)
    {
        var table = new DynamoDBMembershipTable(
            MsOptions.Create(Options(changeLogLength)),
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
