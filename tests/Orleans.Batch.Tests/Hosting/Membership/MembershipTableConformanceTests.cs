using System.Collections.Concurrent;
using System.Net;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Orleans.Batch.Tests.Hosting.Membership;

/// <summary>
/// The Orleans 10.4 membership table contract, as tests any <see cref="IMembershipTable"/> and its
/// <see cref="IGatewayListProvider"/> must pass. A subclass supplies the provider under test; every call to
/// <see cref="CreateTableAsync"/> must return a new, initialized instance over the same backing store, so the
/// tests also exercise coordination between independent instances. Each test uses fresh cluster ids.
/// </summary>
public abstract class MembershipTableConformanceTests : IAsyncLifetime
{
    private static int s_lastGeneration;
    private readonly ConcurrentBag<object> _created = [];

    /// <summary>Gets the cluster id most tests use (unique per test).</summary>
    protected string ClusterId { get; } = NewClusterId();

    /// <summary>Gets the token of the running test.</summary>
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a new, initialized membership table instance for <paramref name="clusterId"/>.</summary>
    protected abstract Task<IMembershipTable> CreateTableAsync(string clusterId);

    /// <summary>Creates a new, initialized gateway list provider for <paramref name="clusterId"/>.</summary>
    protected abstract Task<IGatewayListProvider> CreateGatewayListProviderAsync(string clusterId);

    /// <summary>
    /// Whether the backing store holds nothing at all for <paramref name="clusterId"/>, read directly from the
    /// store (not through the table), including any non-silo items the provider keeps.
    /// </summary>
    protected abstract Task<bool> IsClusterStorageEmptyAsync(string clusterId);

    /// <summary>
    /// The number of storage operations (requests) the provider has made so far, when the subclass can count
    /// them; <see langword="null"/> when it cannot. Used to prove that canceled calls touch no storage.
    /// </summary>
    protected virtual long? StorageOperationCount => null;

    /// <summary>How much older than the latest write another reader may see an I-am-alive time (zero: never older).</summary>
    protected virtual TimeSpan IAmAliveStaleness => TimeSpan.Zero;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var created in _created)
        {
            switch (created)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task GetGateways_ReturnsActiveSilosWithAGatewayPort()
    {
        var table = await TableAsync(ClusterId);
        var gateways = await GatewaysAsync(ClusterId);
        var entries = Enumerable.Range(0, 10).Select(_ => CreateEntry(SiloStatus.Joining)).ToArray();
        entries[3].Status = SiloStatus.Active;
        entries[3].ProxyPort = 0;
        entries[5].Status = SiloStatus.Active;
        entries[9].Status = SiloStatus.Active;
        entries[7].Status = SiloStatus.Dead;

        (await gateways.GetGatewaysAsync(Token)).ShouldBeEmpty();
        foreach (var entry in entries)
        {
            await InsertAsync(table, entry);
        }

        var expected = new[] { entries[5], entries[9] }
            .Select(entry => SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri().ToString());
        (await gateways.GetGatewaysAsync(Token)).Select(uri => uri.ToString()).ShouldBe(expected, ignoreOrder: true);
        gateways.MaxStaleness.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task ReadAll_OnAnEmptyCluster_ReturnsVersionZeroWithAnEtag()
    {
        var table = await TableAsync(ClusterId);

        var data = await table.ReadAllAsync(Token);

        data.Members.ShouldBeEmpty();
        data.Version.Version.ShouldBe(0);
        data.Version.VersionEtag.ShouldNotBeNull();
        var row = await table.ReadRowAsync(CreateEntry().SiloAddress, Token);
        row.Members.ShouldBeEmpty();
        row.Version.ShouldBe(data.Version);
    }

    [Fact]
    public async Task InsertRow_AddsTheRowAndAdvancesTheVersionByOne()
    {
        var table = await TableAsync(ClusterId);
        var empty = await table.ReadAllAsync(Token);

        (await table.InsertRowAsync(CreateEntry(), empty.Version.Next(), Token)).ShouldBeTrue();

        var data = await table.ReadAllAsync(Token);
        data.Version.Version.ShouldBe(1);
        data.Version.VersionEtag.ShouldNotBe(empty.Version.VersionEtag);
        data.Members.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ReadRow_AfterInsert_ReturnsTheRow_AndStaleOrDuplicateInsertsFail()
    {
        var table = await TableAsync(ClusterId);
        var empty = await table.ReadAllAsync(Token);
        var next = empty.Version.Next();
        var entry = CreateEntry();

        (await table.InsertRowAsync(entry, next, Token)).ShouldBeTrue();
        (await table.InsertRowAsync(entry, next, Token)).ShouldBeFalse("same entry, stale table version");
        (await table.InsertRowAsync(CreateEntry(), next, Token)).ShouldBeFalse("new entry, stale table version");
        var current = await table.ReadAllAsync(Token);
        (await table.InsertRowAsync(entry, current.Version.Next(), Token)).ShouldBeFalse("duplicate entry, current table version");

        var after = await table.ReadAllAsync(Token);
        after.Version.ShouldBe(current.Version);
        after.Members.Count.ShouldBe(1);

        var row = await table.ReadRowAsync(entry.SiloAddress, Token);
        row.Version.Version.ShouldBe(next.Version);
        row.Version.VersionEtag.ShouldNotBeNull();
        row.Version.VersionEtag.ShouldNotBe(next.VersionEtag);
        row.Members.Count.ShouldBe(1);
        row.Members[0].Item2.ShouldNotBeNullOrEmpty();
        Fields(row.Members[0].Item1).ShouldBe(Fields(entry));
    }

    [Fact]
    public async Task ReadRow_ForAnUnknownSilo_ReturnsNoRowAndTheCurrentVersion()
    {
        var table = await TableAsync(ClusterId);
        var entry = CreateEntry();
        await InsertAsync(table, entry);

        var row = await table.ReadRowAsync(CreateEntry().SiloAddress, Token);

        row.Members.ShouldBeEmpty();
        row.Version.ShouldBe((await table.ReadAllAsync(Token)).Version);
    }

    [Fact]
    public async Task ReadAll_AfterInsert_ReturnsTheRowWithFreshEtags()
    {
        var table = await TableAsync(ClusterId);
        var empty = await table.ReadAllAsync(Token);
        var next = empty.Version.Next();
        var entry = CreateEntry();

        (await table.InsertRowAsync(entry, next, Token)).ShouldBeTrue();

        var data = await table.ReadAllAsync(Token);
        data.Members.Count.ShouldBe(1);
        data.Version.Version.ShouldBe(next.Version);
        data.Version.VersionEtag.ShouldNotBeNull();
        data.Version.VersionEtag.ShouldNotBe(next.VersionEtag);
        data.Members[0].Item2.ShouldNotBeNullOrEmpty();
        Fields(data.Members[0].Item1).ShouldBe(Fields(entry));
    }

    [Fact]
    public async Task UpdateRow_FailsForStaleVersionStaleEtagOrMissingRow_AndRoundTripsEveryField()
    {
        var table = await TableAsync(ClusterId);
        var other = await TableAsync(ClusterId);
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        var read = await table.ReadAllAsync(Token);
        var etag = read.Members[0].Item2;

        // Stale table version (same version number, old etag), with the current row etag.
        await InsertAsync(other, CreateEntry());
        (await table.UpdateRowAsync(entry, etag, read.Version.Next(), Token)).ShouldBeFalse("stale table version");

        // Current version, every field changed.
        var current = await table.ReadAllAsync(Token);
        var updated = CreateFullEntry(entry.SiloAddress);
        (await table.UpdateRowAsync(updated, etag, current.Version.Next(), Token)).ShouldBeTrue();
        var after = await other.ReadAllAsync(Token);
        after.Version.Version.ShouldBe(current.Version.Version + 1);
        var row = after.TryGet(entry.SiloAddress).ShouldNotBeNull();
        Fields(row.Item1).ShouldBe(Fields(updated));
        row.Item2.ShouldNotBe(etag);
        Fields((await other.ReadRowAsync(entry.SiloAddress, Token)).Members.Single().Item1).ShouldBe(Fields(updated));

        // Stale row etag with the current table version.
        (await table.UpdateRowAsync(updated, etag, after.Version.Next(), Token)).ShouldBeFalse("stale row etag");

        // A missing row cannot be created by an update, even with a real etag and the current version.
        (await table.UpdateRowAsync(CreateEntry(), row.Item2, after.Version.Next(), Token)).ShouldBeFalse("missing row");

        var final = await table.ReadAllAsync(Token);
        final.Version.ShouldBe(after.Version);
        final.Members.Count.ShouldBe(2);
        Fields(final.TryGet(entry.SiloAddress)!.Item1).ShouldBe(Fields(updated));

        // Clearing the suspect votes round-trips too.
        var cleared = CreateFullEntry(entry.SiloAddress);
        cleared.SuspectTimes = [];
        (await table.UpdateRowAsync(cleared, row.Item2, final.Version.Next(), Token)).ShouldBeTrue();
        Fields((await table.ReadRowAsync(entry.SiloAddress, Token)).Members.Single().Item1).ShouldBe(Fields(cleared));
    }

    [Fact]
    public async Task Writes_DoNotKeepReferencesToCallerObjects()
    {
        var table = await TableAsync(ClusterId);
        var entry = CreateFullEntry(CreateEntry().SiloAddress);
        var expected = Fields(entry);
        await InsertAsync(table, entry);

        entry.Status = SiloStatus.Dead;
        entry.SuspectTimes!.Clear();
        var read = await table.ReadAllAsync(Token);
        read.Members[0].Item1.SuspectTimes!.Clear();

        Fields((await table.ReadAllAsync(Token)).Members[0].Item1).ShouldBe(expected);
    }

    [Fact]
    public async Task ConcurrentUpdaters_HaveExactlyOneWinnerPerVersion()
    {
        const int updaters = 20;
        var tables = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TableAsync(ClusterId)));
        var entry = CreateEntry();
        await InsertAsync(tables[0], entry);

        // Round one: every updater holds the same snapshot; exactly one may commit it.
        var snapshot = await tables[0].ReadAllAsync(Token);
        var row = snapshot.Members[0];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sameSnapshot = Enumerable.Range(0, updaters).Select(i => Task.Run(async () =>
        {
            await start.Task.WaitAsync(Token);
            return await tables[i % tables.Length].UpdateRowAsync(row.Item1, row.Item2, snapshot.Version.Next(), Token);
        })).ToArray();
        start.SetResult();
        (await Task.WhenAll(sameSnapshot)).Count(won => won).ShouldBe(1);

        // Round two: every updater retries (read, update) until it wins once.
        var committedVersions = new ConcurrentBag<int>();
        var workers = Enumerable.Range(0, updaters).Select(i => Task.Run(async () =>
        {
            var table = tables[i % tables.Length];
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var data = await table.ReadAllAsync(Token);
                var (current, etag) = data.TryGet(entry.SiloAddress)!;
                current.IAmAliveTime = DateTime.UtcNow;
                var next = data.Version.Next();
                if (await table.UpdateRowAsync(current, etag, next, Token))
                {
                    committedVersions.Add(next.Version);
                    return;
                }
            }

            throw new InvalidOperationException($"updater {i} never won in 500 attempts");
        })).ToArray();
        await Task.WhenAll(workers);

        committedVersions.Count.ShouldBe(updaters);
        committedVersions.Distinct().Count().ShouldBe(updaters, "two updaters committed the same version");
        var final = await tables[0].ReadAllAsync(Token);
        final.Version.Version.ShouldBe(1 + 1 + updaters, "the final version equals the number of successful writes");
        committedVersions.Max().ShouldBe(final.Version.Version);
        final.Members.Count.ShouldBe(1);
    }

    [Fact]
    public async Task UpdateIAmAlive_KeepsEtagAndVersion_AndAnUpdateWithThePreHeartbeatEtagSucceeds()
    {
        var table = await TableAsync(ClusterId);
        var owner = await TableAsync(ClusterId);
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        var before = await table.ReadAllAsync(Token);
        var (stored, etag) = before.Members[0];
        var aliveAt = entry.IAmAliveTime.AddSeconds(5).AddTicks(7);

        await owner.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = aliveAt }, Token);

        // The writer sees its heartbeat at once; other readers within the table's bound on I-am-alive staleness.
        (await owner.ReadAllAsync(Token)).Members[0].Item1.IAmAliveTime.ShouldBe(aliveAt);
        await Task.Delay(IAmAliveStaleness, Token);
        var after = await table.ReadAllAsync(Token);
        after.Version.ShouldBe(before.Version);
        var (alive, etagAfter) = after.Members[0];
        etagAfter.ShouldBe(etag);
        alive.IAmAliveTime.ShouldBe(aliveAt);
        Fields(alive).ShouldBe(Fields(stored) with { IAmAliveTimeTicks = aliveAt.Ticks });

        var active = CreateFullEntry(entry.SiloAddress);
        (await table.UpdateRowAsync(active, etag, before.Version.Next(), Token)).ShouldBeTrue();
        var updated = await owner.ReadAllAsync(Token);
        updated.Version.Version.ShouldBe(before.Version.Version + 1);
        updated.Version.VersionEtag.ShouldNotBe(before.Version.VersionEtag);
        Fields(updated.Members[0].Item1).ShouldBe(Fields(active));
    }

    [Fact]
    public async Task UpdateIAmAlive_ForAMissingRow_CreatesNothing()
    {
        var table = await TableAsync(ClusterId);
        await InsertAsync(table, CreateEntry());
        var before = await table.ReadAllAsync(Token);

        try
        {
            await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = CreateEntry().SiloAddress, IAmAliveTime = DateTime.UtcNow }, Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Providers may report the missing row; they must not create it.
        }

        var after = await table.ReadAllAsync(Token);
        after.Version.ShouldBe(before.Version);
        after.Members.Select(member => Fields(member.Item1)).ShouldBe(before.Members.Select(member => Fields(member.Item1)));
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyDeadRowsOlderThanTheCutOff_AndIsIdempotent()
    {
        var table = await TableAsync(ClusterId);
        var cutOff = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var old = cutOff.UtcDateTime.AddDays(-10);

        var deadOld = CreateEntry(SiloStatus.Dead, old);
        var deadAtCutOff = CreateEntry(SiloStatus.Dead, cutOff.UtcDateTime);
        var deadRecent = CreateEntry(SiloStatus.Dead, cutOff.UtcDateTime.AddDays(1));
        var deadWithRecentVote = CreateEntry(SiloStatus.Dead, old);
        deadWithRecentVote.SuspectTimes = [Tuple.Create(CreateEntry().SiloAddress, cutOff.UtcDateTime.AddMinutes(1))];
        var deadStartedRecently = CreateEntry(SiloStatus.Dead, old);
        deadStartedRecently.StartTime = cutOff.UtcDateTime.AddMinutes(1);
        var oldOfEveryOtherStatus = Enum.GetValues<SiloStatus>().Where(status => status != SiloStatus.Dead)
            .Select(status => CreateEntry(status, old)).ToArray();
        foreach (var entry in new[] { deadOld, deadAtCutOff, deadRecent, deadWithRecentVote, deadStartedRecently }.Concat(oldOfEveryOtherStatus))
        {
            await InsertAsync(table, entry);
        }

        var otherCluster = NewClusterId();
        var other = await TableAsync(otherCluster);
        await InsertAsync(other, CreateEntry(SiloStatus.Dead, old));
        var otherBefore = await other.ReadAllAsync(Token);
        var before = await table.ReadAllAsync(Token);

        await table.CleanupDefunctSiloEntriesAsync(cutOff, Token);

        var after = await table.ReadAllAsync(Token);
        after.Members.Select(member => Fields(member.Item1))
            .ShouldBe(before.Members.Where(member => !member.Item1.SiloAddress.Equals(deadOld.SiloAddress)).Select(member => Fields(member.Item1)), ignoreOrder: true);
        after.Version.Version.ShouldBeInRange(before.Version.Version, before.Version.Version + 1);
        if (after.Version.Version == before.Version.Version)
        {
            after.Version.ShouldBe(before.Version);
        }

        await table.CleanupDefunctSiloEntriesAsync(cutOff, Token);
        var repeated = await table.ReadAllAsync(Token);
        repeated.Version.ShouldBe(after.Version, "a repeated cleanup changes nothing");
        repeated.Members.Count.ShouldBe(after.Members.Count);

        await table.CleanupDefunctSiloEntriesAsync(cutOff.AddTicks(1), Token);
        var boundary = await table.ReadAllAsync(Token);
        boundary.TryGet(deadAtCutOff.SiloAddress).ShouldBeNull("one tick later the row at the cut-off is older than it");
        boundary.Members.Count.ShouldBe(after.Members.Count - 1);

        var otherAfter = await other.ReadAllAsync(Token);
        otherAfter.Version.ShouldBe(otherBefore.Version, "cleanup of one cluster never touches another");
        otherAfter.Members.Count.ShouldBe(1);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesEverythingOfTheCluster_AndNothingElse()
    {
        var table = await TableAsync(ClusterId);
        var otherCluster = NewClusterId();
        var other = await TableAsync(otherCluster);
        for (var i = 0; i < 3; i++)
        {
            await InsertAsync(table, CreateEntry(SiloStatus.Active));
        }

        await InsertAsync(other, CreateEntry(SiloStatus.Active));
        var otherBefore = await other.ReadAllAsync(Token);
        (await IsClusterStorageEmptyAsync(ClusterId)).ShouldBeFalse();

        await table.DeleteMembershipTableEntriesAsync(ClusterId, Token);

        (await IsClusterStorageEmptyAsync(ClusterId)).ShouldBeTrue();
        var deleted = await table.ReadAllAsync(Token);
        deleted.Members.ShouldBeEmpty();
        deleted.Version.Version.ShouldBe(0);
        (await (await GatewaysAsync(ClusterId)).GetGatewaysAsync(Token)).ShouldBeEmpty();
        var otherAfter = await other.ReadAllAsync(Token);
        otherAfter.Version.ShouldBe(otherBefore.Version);
        otherAfter.Members.Count.ShouldBe(1);

        // Deleting again is harmless, and the cluster can start over.
        await table.DeleteMembershipTableEntriesAsync(ClusterId, Token);
        await InsertAsync(table, CreateEntry());
        (await table.ReadAllAsync(Token)).Version.Version.ShouldBe(1);
    }

    [Fact]
    public async Task CanceledCalls_ThrowAndTouchNoStorage()
    {
        var table = await TableAsync(ClusterId);
        var gateways = await GatewaysAsync(ClusterId);
        var entry = CreateEntry(SiloStatus.Active);
        await InsertAsync(table, entry);
        var before = await table.ReadAllAsync(Token);
        var etag = before.Members[0].Item2;
        var operationsBefore = StorageOperationCount;
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        var token = canceled.Token;

        var calls = new (string Name, Func<Task> Call)[]
        {
            ("InitializeMembershipTableAsync", () => table.InitializeMembershipTableAsync(true, token)),
            ("ReadAllAsync", () => table.ReadAllAsync(token)),
            ("ReadRowAsync", () => table.ReadRowAsync(entry.SiloAddress, token)),
            ("InsertRowAsync", () => table.InsertRowAsync(CreateEntry(), before.Version.Next(), token)),
            ("UpdateRowAsync", () => table.UpdateRowAsync(CreateFullEntry(entry.SiloAddress), etag, before.Version.Next(), token)),
            ("UpdateIAmAliveAsync", () => table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = DateTime.UtcNow }, token)),
            ("CleanupDefunctSiloEntriesAsync", () => table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.MaxValue, token)),
            ("DeleteMembershipTableEntriesAsync", () => table.DeleteMembershipTableEntriesAsync(ClusterId, token)),
            ("InitializeGatewayListProviderAsync", () => gateways.InitializeGatewayListProviderAsync(token)),
            ("GetGatewaysAsync", () => gateways.GetGatewaysAsync(token)),
        };
        foreach (var (name, call) in calls)
        {
            await ShouldBeCanceledAsync(name, call);
        }

        StorageOperationCount.ShouldBe(operationsBefore, "canceled calls sent storage requests");
        var after = await table.ReadAllAsync(Token);
        after.Version.ShouldBe(before.Version);
        Fields(after.Members.Single().Item1).ShouldBe(Fields(before.Members[0].Item1));
        after.Members[0].Item2.ShouldBe(etag);
    }

    [Fact]
    public async Task Clusters_SharingAStore_NeverSeeEachOthersRows()
    {
        var otherCluster = NewClusterId();
        var first = await TableAsync(ClusterId);
        var second = await TableAsync(otherCluster);
        var shared = CreateEntry(SiloStatus.Active);
        var onlyFirst = CreateEntry(SiloStatus.Active);
        await InsertAsync(first, shared);
        await InsertAsync(first, onlyFirst);
        var secondCopy = CreateFullEntry(shared.SiloAddress);
        secondCopy.HostName = "second-cluster-host";
        await InsertAsync(second, secondCopy);
        var secondBefore = await second.ReadAllAsync(Token);

        var firstData = await first.ReadAllAsync(Token);
        await first.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = shared.SiloAddress, IAmAliveTime = DateTime.UtcNow.AddMinutes(5) }, Token);
        var (row, etag) = firstData.TryGet(shared.SiloAddress)!;
        row.Status = SiloStatus.ShuttingDown;
        (await first.UpdateRowAsync(row, etag, firstData.Version.Next(), Token)).ShouldBeTrue();
        await first.CleanupDefunctSiloEntriesAsync(DateTimeOffset.MaxValue, Token);

        var secondAfter = await second.ReadAllAsync(Token);
        secondAfter.Version.ShouldBe(secondBefore.Version);
        secondAfter.Members.Select(member => Fields(member.Item1)).ShouldBe([Fields(secondCopy)]);
        (await second.ReadRowAsync(onlyFirst.SiloAddress, Token)).Members.ShouldBeEmpty();
        Fields((await second.ReadRowAsync(shared.SiloAddress, Token)).Members.Single().Item1).ShouldBe(Fields(secondCopy));
        (await first.ReadAllAsync(Token)).Members.Count.ShouldBe(2);
        (await (await GatewaysAsync(otherCluster)).GetGatewaysAsync(Token)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task LegacyMembers_BehaveLikeTheCancellableOnes()
    {
        var table = await TableAsync(ClusterId);
        var gateways = await GatewaysAsync(ClusterId);
        var entry = CreateEntry(SiloStatus.Active);
#pragma warning disable CS0618 // The tokenless members are obsolete in Orleans 10.4 but remain part of the interface.
        await table.InitializeMembershipTable(true);
        var empty = await table.ReadAll();
        (await table.InsertRow(entry, empty.Version.Next())).ShouldBeTrue();
        var data = await table.ReadRow(entry.SiloAddress);
        (await table.UpdateRow(entry, data.Members[0].Item2, data.Version.Next())).ShouldBeTrue();
        await table.UpdateIAmAlive(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = DateTime.UtcNow });
        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow);
        (await table.ReadAll()).Version.Version.ShouldBe(2);
        await gateways.InitializeGatewayListProvider();
        (await gateways.GetGateways()).Count.ShouldBe(1);
        await table.DeleteMembershipTableEntries(ClusterId);
        (await table.ReadAll()).Members.ShouldBeEmpty();
#pragma warning restore CS0618
    }

    private static async Task ShouldBeCanceledAsync(string name, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception exception)
        {
            throw new ShouldAssertException($"{name} with a canceled token threw {exception.GetType().Name} instead of OperationCanceledException: {exception.Message}");
        }

        throw new ShouldAssertException($"{name} with a canceled token completed instead of throwing OperationCanceledException");
    }

    /// <summary>Inserts <paramref name="entry"/> at the next version and asserts it committed.</summary>
    protected static async Task InsertAsync(IMembershipTable table, MembershipEntry entry)
    {
        var data = await table.ReadAllAsync(Token);
        (await table.InsertRowAsync(entry, data.Version.Next(), Token)).ShouldBeTrue($"insert of {entry.SiloAddress}");
    }

    /// <summary>A fresh cluster id.</summary>
    protected static string NewClusterId() => $"conf-{Guid.NewGuid():N}";

    /// <summary>An entry with a unique silo address (loopback, unique generation) and whole-second times.</summary>
    protected static MembershipEntry CreateEntry(SiloStatus status = SiloStatus.Joining, DateTime? time = null)
    {
        var generation = Interlocked.Increment(ref s_lastGeneration);
        var address = SiloAddress.New(IPAddress.Loopback, 20000 + generation % 10000, generation);
        var at = time ?? new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        return new MembershipEntry
        {
            SiloAddress = address,
            Status = status,
            ProxyPort = address.Endpoint.Port + 1,
            HostName = "conformance-host",
            SiloName = $"silo-{generation}",
            StartTime = at,
            IAmAliveTime = at,
        };
    }

    /// <inheritdoc cref="MembershipTestData.CreateFullEntry"/>
    protected static MembershipEntry CreateFullEntry(SiloAddress address) => MembershipTestData.CreateFullEntry(address);

    /// <inheritdoc cref="MembershipTestData.Fields"/>
    protected static MembershipTestData.EntryFields Fields(MembershipEntry entry) => MembershipTestData.Fields(entry);

    private async Task<IMembershipTable> TableAsync(string clusterId)
    {
        var table = await CreateTableAsync(clusterId);
        _created.Add(table);
        return table;
    }

    private async Task<IGatewayListProvider> GatewaysAsync(string clusterId)
    {
        var gateways = await CreateGatewayListProviderAsync(clusterId);
        _created.Add(gateways);
        return gateways;
    }
}
