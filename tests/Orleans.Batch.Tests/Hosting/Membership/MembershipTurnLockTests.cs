using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Membership;

/// <summary>One membership write at a time per cluster: a turn is exclusive, per cluster, and given back.</summary>
public sealed class MembershipTurnLockTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private readonly LocalMembershipOptions _local = new() { Directory = Directory.CreateTempSubdirectory("orleans-batch-tests-").FullName };
    private readonly string _table = DynamoDBLocalFixture.UniqueTableName("turns");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        using var membership = new Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBClusterMembership("setup", DynamoDBOptions, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
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

        var first = await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken);
        var second = await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken);

        first.ShouldNotBeNull();
        second.ShouldBeNull();
        await first.DisposeAsync();
        var third = await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken);
        third.ShouldNotBeNull();
        await third.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Clusters_have_their_own_turns(string store)
    {
        var turns = Create(store);

        await using var one = await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken);
        await using var other = await turns.TryEnterAsync("c2", TestContext.Current.CancellationToken);

        one.ShouldNotBeNull();
        other.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_dynamodb_turn_never_given_back_expires()
    {
        var turns = Create("dynamodb");
        var abandoned = await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken);
        abandoned.ShouldNotBeNull();

        _time.Advance(DynamoDBMembershipTurnLock.TurnLifetime + TimeSpan.FromSeconds(1));
        var next = await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken);

        next.ShouldNotBeNull();
        await abandoned.DisposeAsync();
        (await turns.TryEnterAsync("c1", TestContext.Current.CancellationToken)).ShouldBeNull("giving back an expired turn must not release its new holder's");
        await next.DisposeAsync();
        (await dynamo.QueryPartitionAsync(_table, "c1")).ShouldBeEmpty();
    }

    private IMembershipTurnLock Create(string store) => store == "file"
        ? new FileMembershipTurnLock(_local)
        : new DynamoDBMembershipTurnLock(dynamo.Client, DynamoDBOptions, _time);
}
