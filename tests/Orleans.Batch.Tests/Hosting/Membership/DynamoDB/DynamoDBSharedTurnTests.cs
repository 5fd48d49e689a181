using System.Diagnostics;
using System.Net;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Runtime;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>
/// Silos served together by the DynamoDB turn queue write their own transitions in one compare-and-swap of the
/// version they all read, and a silo served alone passes the turn on in its own write. Every write keeps its
/// contract: committed only if the table is still at the version it read, otherwise false and no side effects.
/// </summary>
public sealed class DynamoDBSharedTurnTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private readonly string _tableName = DynamoDBLocalFixture.UniqueTableName("shared");
    private readonly string _clusterId = $"shared-{Guid.NewGuid():N}";
    private readonly List<IDisposable> _disposables = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await dynamo.StartAsync(Token);

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        await dynamo.DeleteTableIfExistsAsync(_tableName);
    }

    [Fact]
    public async Task Silos_served_together_commit_their_transitions_in_one_write_and_the_holders_write_passes_the_turn_on()
    {
        var holder = await SiloAsync();
        var holderTurn = await holder.EnterAsync();
        var waiting = new List<(Silo Silo, Task<IAsyncDisposable> Turn)>();
        for (var i = 0; i < 3; i++)
        {
            var silo = await SiloAsync();
            waiting.Add((silo, silo.EnterAsync()));
        }

        await WaitForTicketsAsync(4);
        (await holder.InsertAsync()).ShouldBeTrue();

        // Served without the holder giving its turn back: its write passed the turn on.
        var turns = await Task.WhenAll(waiting.Select(w => w.Turn)).WaitAsync(Soon, Token);
        for (var i = 0; i < waiting.Count; i++)
        {
            waiting[i].Silo.Hold(turns[i]);
        }

        var written = await Task.WhenAll(waiting.Select(w => w.Silo.InsertAsync())).WaitAsync(Soon, Token);

        written.ShouldAllBe(ok => ok);
        var table = await holder.Table.ReadAllAsync(Token);
        table.Version.Version.ShouldBe(2, "the holder's write, then one write for the three served together");
        table.Members.Count.ShouldBe(4);
        (await IntentsAsync()).ShouldBeEmpty();
        await holderTurn.DisposeAsync();
        foreach (var turn in turns)
        {
            await turn.DisposeAsync();
        }

        (await QueueAsync()).Serving.ShouldBe(5);
    }

    [Fact]
    public async Task A_shared_write_that_read_an_older_version_fails_alone_and_leaves_nothing_behind()
    {
        var holder = await SiloAsync();
        var holderTurn = await holder.EnterAsync();
        var fresh = await SiloAsync();
        var stale = await SiloAsync();
        var staleRead = await stale.Table.ReadAllAsync(Token);
        var freshTurn = fresh.EnterAsync();
        var staleTurn = stale.EnterAsync();
        await WaitForTicketsAsync(3);
        (await holder.InsertAsync()).ShouldBeTrue();
        await Task.WhenAll(freshTurn, staleTurn).WaitAsync(Soon, Token);

        var outcomes = await Task.WhenAll(fresh.InsertAsync(), stale.InsertAsync(staleRead.Version.Next())).WaitAsync(Soon, Token);

        outcomes.ShouldBe([true, false]);
        var table = await holder.Table.ReadAllAsync(Token);
        table.Version.Version.ShouldBe(2);
        table.Members.Select(m => m.Item1.SiloAddress).ShouldBe([holder.Entry.SiloAddress, fresh.Entry.SiloAddress], ignoreOrder: true);
        (await IntentsAsync()).ShouldBeEmpty();
        await holderTurn.DisposeAsync();
    }

    [Fact]
    public async Task A_silo_that_vanishes_in_a_shared_turn_holds_the_others_up_only_until_the_fill_timeout_and_a_silo_that_passes_not_at_all()
    {
        var holder = await SiloAsync();
        var holderTurn = await holder.EnterAsync();
        var writer = await SiloAsync();
        var passer = await SiloAsync();
        var vanished = await SiloAsync();
        var writerTurn = writer.EnterAsync();
        var passerTurn = passer.EnterAsync();
        var vanishedTurn = vanished.EnterAsync();
        await WaitForTicketsAsync(4);
        (await holder.InsertAsync()).ShouldBeTrue();
        await writerTurn.WaitAsync(Soon, Token);
        var passed = await passerTurn.WaitAsync(Soon, Token);
        await vanishedTurn.WaitAsync(Soon, Token);
        var started = Stopwatch.GetTimestamp();

        var pass = passed.DisposeAsync().AsTask();
        var written = await writer.InsertAsync().WaitAsync(Soon, Token);
        await pass.WaitAsync(Soon, Token);

        written.ShouldBeTrue();
        Stopwatch.GetElapsedTime(started).ShouldBeGreaterThanOrEqualTo(DynamoDBMembershipBatch.FillTimeout - TimeSpan.FromMilliseconds(50), "the committer waits for the silo that said nothing, but not longer");
        (await QueueAsync()).Serving.ShouldBe(5);

        // Its late write no longer has a turn to share: it is a compare-and-swap of its own.
        (await vanished.InsertAsync(new TableVersion(2, "an etag the table never had"))).ShouldBeFalse();
        (await vanished.InsertAsync()).ShouldBeTrue();
        (await holder.Table.ReadAllAsync(Token)).Members.Count.ShouldBe(3);
        (await IntentsAsync()).ShouldBeEmpty();
        await holderTurn.DisposeAsync();
    }

    private async Task WaitForTicketsAsync(long issued)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Soon.TotalSeconds * Stopwatch.Frequency);
        while ((await QueueAsync()).Issued < issued)
        {
            Stopwatch.GetTimestamp().ShouldBeLessThan(deadline, $"{issued} tickets were not taken in time");
            await Task.Delay(20, Token);
        }
    }

    private async Task<(long Serving, long Issued)> QueueAsync()
    {
        var item = (await dynamo.Client.GetItemAsync(_tableName, new()
        {
            [DynamoDBMembershipSchema.PartitionKey] = new() { S = _clusterId },
            [DynamoDBMembershipSchema.SortKey] = new() { S = DynamoDBMembershipTurnLock.TurnSortKey },
        }, consistentRead: true, Token)).Item;
        return item is { Count: > 0 } ? (long.Parse(item["Serving"].N), long.Parse(item["Issued"].N)) : (0, 0);
    }

    private async Task<List<string>> IntentsAsync()
    {
        var response = await dynamo.Client.QueryAsync(new QueryRequest
        {
            TableName = _tableName,
            KeyConditionExpression = "#pk = :pk AND begins_with(#sk, :intent)",
            ExpressionAttributeNames = new() { ["#pk"] = DynamoDBMembershipSchema.PartitionKey, ["#sk"] = DynamoDBMembershipSchema.SortKey },
            ExpressionAttributeValues = new() { [":pk"] = new() { S = _clusterId }, [":intent"] = new() { S = DynamoDBMembershipBatch.IntentPrefix } },
            ConsistentRead = true,
        }, Token);
        return [.. response.Items.Select(item => item[DynamoDBMembershipSchema.SortKey].S)];
    }

    private async Task<Silo> SiloAsync()
    {
        var options = new DynamoDBMembershipOptions { TableName = _tableName, ServiceUrl = new Uri(dynamo.ServiceUrl), Region = "us-east-1", CreateIfNotExists = true };
        var context = new MembershipTurnContext();
        var table = new DynamoDBMembershipTable(
            MsOptions.Create(options),
            MsOptions.Create(new ClusterOptions { ClusterId = _clusterId }),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            dynamo.Client,
            context);
        _disposables.Add(table);
        await table.InitializeMembershipTableAsync(true, Token);
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Parse("10.1.2.3"), 11111, Random.Shared.Next(1, int.MaxValue)),
            Status = SiloStatus.Joining,
            ProxyPort = 30000,
            HostName = "host",
            SiloName = "silo",
            StartTime = DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        return new Silo(_clusterId, table, new DynamoDBMembershipTurnLock(dynamo.Client, options, TimeProvider.System), context, entry);
    }

    /// <summary>One silo's membership pieces, as a silo's gate and Orleans use them.</summary>
    private sealed record Silo(string ClusterId, DynamoDBMembershipTable Table, DynamoDBMembershipTurnLock Turns, MembershipTurnContext Context, MembershipEntry Entry)
    {
        public async Task<IAsyncDisposable> EnterAsync()
        {
            var turn = await Turns.EnterAsync(ClusterId, null, Token);
            turn.ShouldNotBeNull();
            Hold(turn);
            return turn;
        }

        public void Hold(IAsyncDisposable turn) => Context.Hold(ClusterId, Entry.SiloAddress.ToParsableString(), turn);

        // As Orleans writes a transition: read the table, then insert with the next version (or the one given).
        public async Task<bool> InsertAsync(TableVersion? version = null)
            => await Table.InsertRowAsync(Entry, version ?? (await Table.ReadAllAsync(Token)).Version.Next(), Token);
    }
}
