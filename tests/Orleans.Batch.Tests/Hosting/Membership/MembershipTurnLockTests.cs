using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Membership;

/// <summary>One membership write at a time per cluster: a turn is exclusive, per cluster, given back, and in DynamoDB served in order.</summary>
public sealed class MembershipTurnLockTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StuckAfter = TimeSpan.FromMilliseconds(600);
    private readonly LocalMembershipOptions _local = new() { Directory = Directory.CreateTempSubdirectory("orleans-batch-tests-").FullName };
    private readonly string _table = DynamoDBLocalFixture.UniqueTableName("turns");

    public async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        using var membership = new DynamoDBClusterMembership("setup", DynamoDBOptions, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await membership.PrepareAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await dynamo.DeleteTableIfExistsAsync(_table);
        if (Directory.Exists(_local.Directory))
        {
            Directory.Delete(_local.Directory, recursive: true);
        }
    }

    private DynamoDBMembershipOptions DynamoDBOptions => new() { TableName = _table, ServiceUrl = new Uri(dynamo.ServiceUrl), Region = "us-east-1", CreateIfNotExists = true };

    public static TheoryData<string> Stores => ["file", "dynamodb"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_turn_is_exclusive_until_given_back(string store)
    {
        var turns = Create(store);

        var first = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        var second = turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        await Task.Delay(StuckAfter / 2, TestContext.Current.CancellationToken);

        first.ShouldNotBeNull();
        second.IsCompleted.ShouldBeFalse("a second silo must wait while the first holds the turn");
        await first.DisposeAsync();
        var turn = await second.WaitAsync(Soon, TestContext.Current.CancellationToken);
        turn.ShouldNotBeNull();
        await turn.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Clusters_have_their_own_turns(string store)
    {
        var turns = Create(store);

        await using var one = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        await using var other = await turns.EnterAsync("c2", null, TestContext.Current.CancellationToken).WaitAsync(Soon, TestContext.Current.CancellationToken);

        one.ShouldNotBeNull();
        other.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_dynamodb_queue_serves_silos_in_the_order_they_asked_and_those_waiting_together_share_the_next_turn()
    {
        var turns = Create("dynamodb");
        var holder = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        var first = turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await holder!.DisposeAsync();
        var alone = await first.WaitAsync(Soon, TestContext.Current.CancellationToken);
        var together = new[] { turns.EnterAsync("c1", null, TestContext.Current.CancellationToken), turns.EnterAsync("c1", null, TestContext.Current.CancellationToken) };
        await Task.Delay(StuckAfter / 2, TestContext.Current.CancellationToken);

        together.ShouldAllBe(waiter => !waiter.IsCompleted, "the silo that asked first holds the turn alone");
        await alone!.DisposeAsync();
        var shared = await Task.WhenAll(together).WaitAsync(Soon, TestContext.Current.CancellationToken);

        shared.ShouldAllBe(turn => turn is DynamoDBMembershipTurn && !((DynamoDBMembershipTurn)turn).Alone);
        await Task.WhenAll(shared.Select(turn => turn!.DisposeAsync().AsTask())).WaitAsync(Soon, TestContext.Current.CancellationToken);
        (await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken).WaitAsync(Soon, TestContext.Current.CancellationToken)).ShouldBeOfType<DynamoDBMembershipTurn>().Alone.ShouldBeTrue();
    }

    [Fact]
    public async Task A_dynamodb_waiter_catches_up_with_the_table_shortly_before_its_turn()
    {
        var turns = Create("dynamodb");
        var holder = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        var caughtUp = 0;
        var waiter = turns.EnterAsync("c1", _ => { Interlocked.Increment(ref caughtUp); return Task.CompletedTask; }, TestContext.Current.CancellationToken);
        await Task.Delay(StuckAfter / 2, TestContext.Current.CancellationToken);

        Volatile.Read(ref caughtUp).ShouldBe(1, "next in line, the waiter reads ahead once while the holder still has the turn");
        waiter.IsCompleted.ShouldBeFalse();
        await holder!.DisposeAsync();
        await (await waiter.WaitAsync(Soon, TestContext.Current.CancellationToken))!.DisposeAsync();
    }

    [Fact]
    public async Task A_dynamodb_turn_never_given_back_is_skipped_and_its_late_release_changes_nothing()
    {
        var turns = Create("dynamodb");
        var abandoned = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        abandoned.ShouldNotBeNull();

        var next = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken).WaitAsync(Soon, TestContext.Current.CancellationToken);
        next.ShouldNotBeNull();
        await abandoned.DisposeAsync();
        var third = turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        await Task.Delay(StuckAfter / 2, TestContext.Current.CancellationToken);

        third.IsCompleted.ShouldBeFalse("giving back a skipped turn must not release its new holder's");
        await next.DisposeAsync();
        var last = await third.WaitAsync(Soon, TestContext.Current.CancellationToken);
        last.ShouldNotBeNull();
        await last.DisposeAsync();
    }

    [Fact]
    public async Task Dynamodb_waiters_that_stop_waiting_give_up_their_places_at_once()
    {
        // A stuck limit far longer than the wait below: only given-up places let the last waiter through in time.
        var turns = new DynamoDBMembershipTurnLock(dynamo.Client, DynamoDBOptions, TimeProvider.System, stuckAfter: TimeSpan.FromSeconds(20));
        var holder = await turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var gaveUp = new List<Task<IAsyncDisposable?>>();
        for (var i = 0; i < 2; i++)
        {
            gaveUp.Add(turns.EnterAsync("c1", null, cancelled.Token));
            await Task.Delay(100, TestContext.Current.CancellationToken);   // tickets in this order
        }

        var last = turns.EnterAsync("c1", null, TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        await cancelled.CancelAsync();
        foreach (var waiter in gaveUp)
        {
            await Should.ThrowAsync<OperationCanceledException>(() => waiter);
        }

        last.IsCompleted.ShouldBeFalse("the holder still has the turn");
        await holder!.DisposeAsync();
        var turn = await last.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        turn.ShouldNotBeNull();
        await turn.DisposeAsync();
    }

    private IMembershipTurnLock Create(string store) => store == "file"
        ? new FileMembershipTurnLock(_local, TimeProvider.System)
        : CreateQueue();

    private DynamoDBMembershipTurnLock CreateQueue() => new(dynamo.Client, DynamoDBOptions, TimeProvider.System, StuckAfter);
}
