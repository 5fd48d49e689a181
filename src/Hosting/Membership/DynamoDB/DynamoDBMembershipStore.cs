using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Polly;
using Polly.Retry;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;
using static Orleans.Batch.Hosting.Membership.DynamoDB.MembershipItemConverter;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The membership operations on cluster partitions of one DynamoDB table, shared by
/// <see cref="DynamoDBMembershipTable"/> and <see cref="DynamoDBGatewayListProvider"/>.
/// </summary>
/// <remarks>
/// <para>Writes: an insert or update is one <c>TransactWriteItems</c> of the row (conditioned on absence, or on
/// existence and the row ETag) and the version item (conditioned on the expected ETag and the previous version).
/// Each commit stamps the row with the new table version and records in the version item which rows it changed.</para>
/// <para>Reads: a partition <c>Query</c> is not isolated from transactions (read-committed), so
/// <see cref="ReadAllAsync"/> reads the version item first and accepts the query only when no row is newer than
/// that version and every row the version's commit changed is visible as committed; otherwise it reads again, a
/// bounded number of times. <see cref="ReadRowAsync"/> uses <c>TransactGetItems</c>, which is serializable.</para>
/// <para>Cost: a snapshot is reused while the version item's ETag is unchanged, for at most
/// <see cref="DynamoDBMembershipOptions.SnapshotReuse"/>, so a read of a quiet cluster is one strongly consistent
/// <c>GetItem</c> of the small version item instead of a query of every row. I-am-alive writes do not move the
/// version, so reused snapshots carry I-am-alive times at most that much older.</para>
/// </remarks>
internal sealed class DynamoDBMembershipStore
{
    /// <summary>The table-version ETag of a cluster without a version item (an empty or deleted cluster).</summary>
    public const string AbsentVersionEtag = "0";

    private const int MaxItemsPerTransaction = 100;
    private const int MaxItemsPerBatchWrite = 25;
    private const int SnapshotAttempts = 10;
    private const int CleanupAttempts = 3;
    private const int DeleteRounds = 3;

    private readonly IAmazonDynamoDB _client;
    private readonly DynamoDBMembershipOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _snapshotRetry;
    private readonly ResiliencePipeline _conflictRetry;
    private readonly ResiliencePipeline<bool> _unprocessedRetry;
    private readonly MembershipTurnContext? _turns;
    private long _versionExpiryRefreshedTicks;
    private CachedSnapshot? _cached;
    private CachedGateways? _cachedGateways;

    public DynamoDBMembershipStore(IAmazonDynamoDB client, DynamoDBMembershipOptions options, ILogger logger, TimeProvider timeProvider, MembershipTurnContext? turns = null)
    {
        _turns = turns;
        _client = client;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _versionExpiryRefreshedTicks = timeProvider.GetUtcNow().UtcTicks;
        _snapshotRetry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<InconsistentSnapshotException>(),
                MaxRetryAttempts = SnapshotAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(500),
            })
            .Build();
        _conflictRetry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransactionConflictException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(20),
            })
            .Build();
        _unprocessedRetry = new ResiliencePipelineBuilder<bool> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                // The result says whether unprocessed items remain.
                ShouldHandle = new PredicateBuilder<bool>().HandleResult(true),
                MaxRetryAttempts = 8,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(5),
            })
            .Build();
    }

    public string TableName => _options.TableName;

    public Task EnsureTableAsync(CancellationToken cancellationToken)
        => DynamoDBTableProvisioner.EnsureTableAsync(_client, _options, _logger, _timeProvider, cancellationToken);

    public async Task<MembershipTableData> ReadAllAsync(string clusterId, CancellationToken cancellationToken)
    {
        var snapshot = await ReadSnapshotAsync(clusterId, cancellationToken).ConfigureAwait(false);
        return new MembershipTableData(
            snapshot.Rows.Select(row => Tuple.Create(row.Entry, row.ETag)).ToList(),
            ToTableVersion(snapshot.Version));
    }

    public async Task<MembershipTableData> ReadRowAsync(string clusterId, SiloAddress silo, CancellationToken cancellationToken)
    {
        var identity = silo.ToParsableString();
        try
        {
            return await _snapshotRetry.ExecuteAsync(
                static (state, token) => new ValueTask<MembershipTableData>(state.Store.ReadRowOnceAsync(state.ClusterId, state.Identity, token)),
                (Store: this, ClusterId: clusterId, Identity: identity),
                cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentSnapshotException exception)
        {
            throw NoConsistentRead(clusterId, exception);
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(_options, exception);
        }
    }

    /// <summary>Inserts (<paramref name="expectedRowEtag"/> null) or updates a row together with the table version.</summary>
    /// <returns><see langword="false"/> when a concurrent change won (no side effects).</returns>
    public async Task<bool> TryWriteRowAsync(
        string clusterId, MembershipEntry entry, string? expectedRowEtag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        var insert = expectedRowEtag is null;
        var operation = insert ? "insert" : "update";
        var identity = entry.SiloAddress.ToParsableString();
        var expiresAt = ExpiresAtFromNow();
        var rowEtag = DynamoDBMembershipCommit.NewEtag();
        var lastChange = new Dictionary<string, string>(StringComparer.Ordinal) { [identity] = rowEtag };

        var rowPut = new Put
        {
            TableName = TableName,
            Item = ToRowItem(clusterId, entry, rowEtag, tableVersion.Version, expiresAt),
            ExpressionAttributeNames = new() { ["#sk"] = Schema.SortKey },
        };
        if (insert)
        {
            rowPut.ConditionExpression = "attribute_not_exists(#sk)";
        }
        else
        {
            rowPut.ConditionExpression = "attribute_exists(#sk) AND #etag = :rowEtag";
            rowPut.ExpressionAttributeNames["#etag"] = Schema.ETag;
            rowPut.ExpressionAttributeValues = new() { [":rowEtag"] = new AttributeValue { S = expectedRowEtag } };
        }

        var versionWrite = DynamoDBMembershipCommit.VersionWriteFor(TableName, clusterId, tableVersion, lastChange, expiresAt);
        if (versionWrite is null)
        {
            _logger.WriteContention(operation, identity, tableVersion.Version, clusterId, "no table version to follow the absent version item");
            return false;
        }

        List<TransactWriteItem> items = [new TransactWriteItem { Put = rowPut }, versionWrite.Value.Item];
        DynamoDBMembershipCommit.AddChangeLog(_options, items, clusterId, tableVersion, versionWrite.Value.ETag, changed: [rowPut.Item], removed: [], expiresAt);
        if (_turns?.Find<DynamoDBMembershipTurn>(clusterId, identity) is { } held)
        {
            // The silo's own transition in its turn: committed with the hand-over, or together with the silos served with it.
            var (turn, stale) = await InTurnAsync(held, tableVersion, cancellationToken).ConfigureAwait(false);
            // A write the turn did not take (it came too late, or the turn was skipped) fails rather than goes on its
            // own: Orleans' next attempt reads and writes again, in a new turn.
            bool? outcome = stale ? false
                : turn is null ? null
                : await turn.WriteAsync(new PendingMembershipWrite(identity, rowPut.Item, expectedRowEtag, tableVersion, items), cancellationToken).ConfigureAwait(false) ?? false;
            if (outcome is true)
            {
                Interlocked.Exchange(ref _versionExpiryRefreshedTicks, _timeProvider.GetUtcNow().UtcTicks);
            }
            else if (outcome is false && _logger.IsEnabled(LogLevel.Debug))
            {
                _logger.WriteContention(operation, identity, tableVersion.Version, clusterId, "in its turn");
            }

            if (outcome is { } written)
            {
                return written;
            }
        }

        return await TryCommitAsync(items, operation, identity, tableVersion.Version, clusterId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The turn to write the silo's own transition in: the one held, or, when that one's write is already done (this
    /// is Orleans' next attempt after a write that lost), a new one, and whether the write read the table before it
    /// (then it fails, and Orleans reads again in the new turn); no turn when none could be had. A write on its own
    /// while others commit theirs together would make all of theirs fail.
    /// </summary>
    private async Task<(DynamoDBMembershipTurn? Turn, bool Stale)> InTurnAsync(DynamoDBMembershipTurn held, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        if (!held.IsOver)
        {
            return (held, false);
        }

        if (await held.RenewAsync(cancellationToken).ConfigureAwait(false) is not { } renewed)
        {
            return (null, false);
        }

        _turns!.Replace(held, renewed);

        // Read before the new turn and already out of date: Orleans reads again, in the new turn, and writes then.
        var current = await ReadVersionAsync(held.ClusterId, cancellationToken).ConfigureAwait(false);
        return (renewed, (current?.ETag ?? AbsentVersionEtag) != tableVersion.VersionEtag);
    }

    /// <summary>Writes only the I-am-alive time (and the expiry) of an existing row: no ETag, no table version.</summary>
    public async Task WriteIAmAliveAsync(string clusterId, MembershipEntry entry, CancellationToken cancellationToken)
    {
        var identity = entry.SiloAddress.ToParsableString();
        var request = new UpdateItemRequest
        {
            TableName = TableName,
            Key = Key(clusterId, identity),
            // The existence condition keeps a late heartbeat from resurrecting a removed row as a partial item.
            ConditionExpression = "attribute_exists(#sk)",
            ExpressionAttributeNames = new() { ["#sk"] = Schema.SortKey, ["#alive"] = Schema.IAmAliveTime, ["#exp"] = Schema.ExpiresAt },
            ExpressionAttributeValues = new() { [":alive"] = new AttributeValue { S = FormatTime(entry.IAmAliveTime) } },
        };
        SetExpiry(request, "#alive = :alive");

        try
        {
            await _conflictRetry.ExecuteAsync(
                static async (state, token) => await state.Client.UpdateItemAsync(state.Request, token).ConfigureAwait(false),
                (Client: _client, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            _logger.HeartbeatRowMissing(identity, clusterId);
            return;
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(_options, exception);
        }

        // This silo reads its own heartbeat back at once; others see it within the snapshot reuse.
        RecordOwnHeartbeat(clusterId, identity, entry.IAmAliveTime);

        await RefreshVersionExpiryIfDueAsync(clusterId, cancellationToken).ConfigureAwait(false);
    }

    private void RecordOwnHeartbeat(string clusterId, string identity, DateTime alive)
    {
        if (Volatile.Read(ref _cached) is not { } cached || cached.ClusterId != clusterId)
        {
            return;
        }

        var rows = cached.Rows
            .Select(row => row.Identity == identity ? row with { Entry = CopyEntry(row.Entry, iAmAliveTime: alive) } : row)
            .ToList();
        Interlocked.CompareExchange(ref _cached, cached with { Rows = rows }, cached);
    }

    public async Task CleanupAsync(string clusterId, DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= CleanupAttempts; attempt++)
        {
            var snapshot = await ReadSnapshotAsync(clusterId, cancellationToken).ConfigureAwait(false);
            var defunct = snapshot.Rows.Where(row => DefunctSiloPolicy.IsDefunct(row.Entry, beforeDate)).ToList();
            if (defunct.Count == 0 || snapshot.Version is null)
            {
                return;
            }

            var version = snapshot.Version;
            var removed = 0;
            foreach (var chunk in defunct.Chunk(MaxItemsPerTransaction - 3))
            {
                var next = new TableVersion(version.Version + 1, version.ETag);
                var lastChange = chunk.ToDictionary(row => row.Identity, _ => string.Empty, StringComparer.Ordinal);
                var versionWrite = DynamoDBMembershipCommit.VersionWriteFor(TableName, clusterId, next, lastChange, ExpiresAtFromNow())!.Value;
                var deletes = chunk.Select(row => new TransactWriteItem
                {
                    Delete = new Delete
                    {
                        TableName = TableName,
                        Key = Key(clusterId, row.Identity),
                        // Only the row as read (a Dead row changes only through a versioned write, which changes its ETag).
                        ConditionExpression = "#etag = :etag",
                        ExpressionAttributeNames = new() { ["#etag"] = Schema.ETag },
                        ExpressionAttributeValues = new() { [":etag"] = new AttributeValue { S = row.ETag } },
                    },
                });
                List<TransactWriteItem> items = [.. deletes, versionWrite.Item];
                DynamoDBMembershipCommit.AddChangeLog(_options, items, clusterId, next, versionWrite.ETag, changed: [], removed: [.. chunk.Select(row => row.Identity)], ExpiresAtFromNow());
                if (!await TryCommitAsync(items, "cleanup", chunk[0].Identity, next.Version, clusterId, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                version = new StoredVersion(next.Version, versionWrite.ETag, lastChange);
                removed += chunk.Length;
            }

            if (removed > 0)
            {
                _logger.RemovedDefunctRows(removed, beforeDate, clusterId);
            }

            if (removed == defunct.Count)
            {
                return;
            }
        }

        _logger.CleanupContention(clusterId);
    }

    public async Task<int> DeletePartitionAsync(string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = 0;
            for (var round = 1; ; round++)
            {
                var keys = await QueryKeysAsync(clusterId, cancellationToken).ConfigureAwait(false);
                if (keys.Count == 0)
                {
                    _logger.DeletedCluster(deleted, clusterId, TableName);
                    return deleted;
                }

                if (round > DeleteRounds)
                {
                    throw new InvalidOperationException(
                        $"Cluster '{clusterId}' still has {keys.Count} items in DynamoDB table '{TableName}' after {DeleteRounds} delete rounds; " +
                        "silos of the cluster are still writing to it.");
                }

                // Silo rows first and the version item last, so a concurrent reader never sees rows without a version.
                foreach (var chunk in keys.OrderBy(key => DeleteOrder(GetSortKey(key)!)).Chunk(MaxItemsPerBatchWrite))
                {
                    await BatchDeleteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    deleted += chunk.Length;
                }
            }
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(_options, exception);
        }
    }

    public async Task<IList<Uri>> ReadGatewaysAsync(string clusterId, CancellationToken cancellationToken)
    {
        // Gateways change only with a row's status, which always moves the version: while it stays, so do they.
        string? versionEtag;
        try
        {
            versionEtag = (await ReadVersionAsync(clusterId, cancellationToken).ConfigureAwait(false))?.ETag;
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(_options, exception);
        }

        if (Volatile.Read(ref _cachedGateways) is { } cached && cached.ClusterId == clusterId && versionEtag is not null && cached.VersionEtag == versionEtag)
        {
            return [.. cached.Gateways];
        }

        var gateways = await QueryGatewaysAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (versionEtag is not null)
        {
            Volatile.Write(ref _cachedGateways, new CachedGateways(clusterId, versionEtag, [.. gateways]));
        }

        return gateways;
    }

    private async Task<IList<Uri>> QueryGatewaysAsync(string clusterId, CancellationToken cancellationToken)
    {
        var request = MembershipQuery(clusterId);
        request.ProjectionExpression = "#sk, #status, #port";
        request.FilterExpression = "#status = :active AND #port > :zero";
        request.ExpressionAttributeNames["#sk"] = Schema.SortKey;
        request.ExpressionAttributeNames["#status"] = Schema.Status;
        request.ExpressionAttributeNames["#port"] = Schema.ProxyPort;
        request.ExpressionAttributeValues[":active"] = new AttributeValue { S = nameof(SiloStatus.Active) };
        request.ExpressionAttributeValues[":zero"] = Number(0);

        List<Dictionary<string, AttributeValue>> items;
        try
        {
            items = await QueryAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(_options, exception);
        }

        var store = Describe(clusterId);
        var gateways = new List<Uri>(items.Count);
        foreach (var item in items)
        {
            if (GetSortKey(item) is not { } sortKey || Schema.IsReservedSortKey(sortKey))
            {
                continue;
            }

            var (silo, port) = ReadGatewayFields(store, item);
            gateways.Add(SiloAddress.New(silo.Endpoint.Address, port, silo.Generation).ToGatewayUri());
        }

        return gateways;
    }

    private async Task<Snapshot> ReadSnapshotAsync(string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            return await _snapshotRetry.ExecuteAsync(
                static (state, token) => new ValueTask<Snapshot>(state.Store.ReadSnapshotOnceAsync(state.ClusterId, token)),
                (Store: this, ClusterId: clusterId),
                cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentSnapshotException exception)
        {
            throw NoConsistentRead(clusterId, exception);
        }
        catch (ResourceNotFoundException exception)
        {
            throw DynamoDBTableProvisioner.TableMissing(_options, exception);
        }
    }

    private async Task<Snapshot> ReadSnapshotOnceAsync(string clusterId, CancellationToken cancellationToken)
    {
        var store = Describe(clusterId);
        var before = await ReadVersionAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (before is not null
            && Volatile.Read(ref _cached) is { Version: not null } cached
            && cached.ClusterId == clusterId
            && _timeProvider.GetElapsedTime(cached.ReadAt) < cached.ReusableFor)
        {
            // The same version: the snapshot as it is; a later one: the snapshot and the changes since, if the log has them.
            if (cached.Version.ETag == before.ETag)
            {
                return new Snapshot(before, Copies(cached.Rows));
            }

            if (await ReadChangesSinceAsync(clusterId, cached, before, cancellationToken).ConfigureAwait(false) is { } current)
            {
                return new Snapshot(before, Copies(current.Rows));
            }
        }

        var readAt = _timeProvider.GetTimestamp();
        var items = await QueryAsync(MembershipQuery(clusterId), cancellationToken).ConfigureAwait(false);
        StoredVersion? during = null;
        var rows = new List<StoredRow>(items.Count);
        foreach (var item in items)
        {
            var sortKey = GetSortKey(item);
            if (sortKey == Schema.VersionSortKey)
            {
                during = ReadVersion(store, item);
            }
            else if (sortKey is not null && !Schema.IsReservedSortKey(sortKey))
            {
                rows.Add(ReadRow(store, item));
            }
        }

        if (FindInconsistency(before, during, rows) is { } problem)
        {
            _logger.InconsistentRead(clusterId, problem);
            throw new InconsistentSnapshotException(problem);
        }

        // Each snapshot is reused for a random 75-100 % of the bound, so silos that joined together do not all read the
        // whole partition in the same second when their snapshots expire.
        var reusableFor = _options.SnapshotReuse * (0.75 + (0.25 * Random.Shared.NextDouble()));
        Volatile.Write(ref _cached, new CachedSnapshot(clusterId, before, rows, readAt, reusableFor));
        return new Snapshot(before, Copies(rows));
    }

    /// <summary>
    /// Brings <paramref name="cached"/> up to <paramref name="current"/> from the change log, or returns null when the
    /// log does not reach back that far (the caller reads the whole partition). The log's items never change once
    /// written, so an eventually consistent read is used when it proves complete: every version in the range, each
    /// continuing the ETag chain from the cached version to the current one. Otherwise the range is read again
    /// strongly consistent.
    /// </summary>
    private async Task<CachedSnapshot?> ReadChangesSinceAsync(string clusterId, CachedSnapshot cached, StoredVersion current, CancellationToken cancellationToken)
    {
        var from = cached.Version!.Version + 1L;
        var count = current.Version - cached.Version.Version;
        if (count <= 0 || count > _options.ChangeLogLength)
        {
            return null;
        }

        foreach (var consistent in (bool[])[false, true])
        {
            var request = PartitionQuery(clusterId);
            request.KeyConditionExpression = "#pk = :pk AND #sk BETWEEN :from AND :to";
            request.ExpressionAttributeNames["#sk"] = Schema.SortKey;
            request.ExpressionAttributeValues[":from"] = new AttributeValue { S = Schema.ChangeSortKey(from) };
            request.ExpressionAttributeValues[":to"] = new AttributeValue { S = Schema.ChangeSortKey(current.Version) };
            request.ConsistentRead = consistent;
            var log = await QueryAsync(request, cancellationToken).ConfigureAwait(false);
            if (ApplyChanges(Describe(clusterId), cached, current, from, log) is { } rows)
            {
                var updated = cached with { Version = current, Rows = rows };
                Volatile.Write(ref _cached, updated);
                return updated;
            }
        }

        return null;
    }

    /// <summary>The rows at <paramref name="current"/>, or null when <paramref name="log"/> does not prove a complete chain.</summary>
    private static List<StoredRow>? ApplyChanges(
        string store, CachedSnapshot cached, StoredVersion current, long from, List<Dictionary<string, AttributeValue>> log)
    {
        if (log.Count != current.Version - cached.Version!.Version)
        {
            return null;
        }

        var rows = cached.Rows.ToDictionary(row => row.Identity, StringComparer.Ordinal);
        var etag = cached.Version.ETag;
        for (var i = 0; i < log.Count; i++)
        {
            var change = log[i];
            if (GetSortKey(change) != Schema.ChangeSortKey(from + i)
                || !change.TryGetValue(Schema.PreviousETag, out var previous) || previous.S != etag
                || !change.TryGetValue(Schema.ETag, out var next) || next.S is null)
            {
                return null;
            }

            etag = next.S;
            foreach (var row in change.GetValueOrDefault(Schema.Changed)?.L ?? [])
            {
                if (row.M is null || GetSortKey(row.M) is not { } identity)
                {
                    return null;
                }

                rows[identity] = ReadRow(store, row.M);
            }

            foreach (var removed in change.GetValueOrDefault(Schema.Removed)?.L ?? [])
            {
                if (removed.S is null)
                {
                    return null;
                }

                rows.Remove(removed.S);
            }
        }

        return etag == current.ETag ? [.. rows.OrderBy(row => row.Key, StringComparer.Ordinal).Select(row => row.Value)] : null;
    }

    /// <summary>The cluster's version item, read strongly consistent (one read unit); null for an empty cluster.</summary>
    private async Task<StoredVersion?> ReadVersionAsync(string clusterId, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest
        {
            TableName = TableName,
            Key = Key(clusterId, Schema.VersionSortKey),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? ReadVersion(Describe(clusterId), item) : null;
    }

    private static string? FindInconsistency(StoredVersion? before, StoredVersion? during, List<StoredRow> rows)
    {
        if (before is null)
        {
            return during is not null ? "the version item appeared during the read"
                : rows.Count > 0 ? $"{rows.Count} silo rows but no version item (the cluster is being deleted, or its version item expired)"
                : null;
        }

        if (during is null)
        {
            return "the version item disappeared during the read";
        }

        if (during.ETag != before.ETag)
        {
            return $"the table version moved from {before.Version} to {during.Version}";
        }

        // A row newer than the version: part of a later commit whose version write is not visible yet.
        if (rows.FirstOrDefault(row => row.MembershipVersion > before.Version) is { } ahead)
        {
            return $"row {ahead.Identity} was written at version {ahead.MembershipVersion}, after version {before.Version}";
        }

        // A row older than the version: part of the version's own commit, not visible yet.
        var rowsByIdentity = rows.ToDictionary(row => row.Identity, StringComparer.Ordinal);
        foreach (var (identity, etag) in before.LastChange)
        {
            var visible = etag.Length == 0
                ? !rowsByIdentity.ContainsKey(identity)
                : rowsByIdentity.TryGetValue(identity, out var row) && row.ETag == etag;
            if (!visible)
            {
                return $"the change of row {identity} at version {before.Version} is not visible yet";
            }
        }

        return null;
    }

    private async Task<MembershipTableData> ReadRowOnceAsync(string clusterId, string identity, CancellationToken cancellationToken)
    {
        var store = Describe(clusterId);
        TransactGetItemsResponse response;
        try
        {
            response = await _client.TransactGetItemsAsync(new TransactGetItemsRequest
            {
                TransactItems =
                [
                    new TransactGetItem { Get = new Get { TableName = TableName, Key = Key(clusterId, Schema.VersionSortKey) } },
                    new TransactGetItem { Get = new Get { TableName = TableName, Key = Key(clusterId, identity) } },
                ],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionCanceledException exception) when (DynamoDBMembershipCommit.ContentionCodes(exception) is not null)
        {
            _logger.InconsistentRead(clusterId, "a concurrent transaction");
            throw new InconsistentSnapshotException("a concurrent transaction kept the read from completing");
        }

        var versionItem = response.Responses is { Count: > 0 } ? response.Responses[0]?.Item : null;
        var rowItem = response.Responses is { Count: > 1 } ? response.Responses[1]?.Item : null;
        var version = versionItem is { Count: > 0 } ? ReadVersion(store, versionItem) : null;
        var row = rowItem is { Count: > 0 } ? ReadRow(store, rowItem) : null;
        if (version is null && row is not null)
        {
            throw new InconsistentSnapshotException($"row {identity} exists but the version item does not (the cluster is being deleted, or its version item expired)");
        }

        var tableVersion = ToTableVersion(version);
        return row is null
            ? new MembershipTableData(tableVersion)
            : new MembershipTableData(Tuple.Create(row.Entry, row.ETag), tableVersion);
    }

    private async Task<bool> TryCommitAsync(
        List<TransactWriteItem> items, string operation, string silo, int version, string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            await DynamoDBMembershipCommit.TransactAsync(_client, _options, items, cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionCanceledException exception) when (DynamoDBMembershipCommit.ContentionCodes(exception) is not null)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.WriteContention(operation, silo, version, clusterId, DescribeReasons(exception));
            }

            return false;
        }

        Interlocked.Exchange(ref _versionExpiryRefreshedTicks, _timeProvider.GetUtcNow().UtcTicks);
        return true;
    }

    private static string DescribeReasons(TransactionCanceledException exception)
        => string.Join(", ", exception.CancellationReasons?.Select(reason => reason.Code ?? "None") ?? []);

    /// <summary>
    /// Every commit pushes the version item's expiry forward; heartbeats push the rows' expiry. A cluster without
    /// membership changes for longer than the time to live would lose its version item, so heartbeats refresh it
    /// too, at most every quarter of the time to live (one extra write, never touching version or ETag).
    /// </summary>
    private async Task RefreshVersionExpiryIfDueAsync(string clusterId, CancellationToken cancellationToken)
    {
        if (_options.TimeToLive is not { } timeToLive)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        if (now.UtcTicks - Interlocked.Read(ref _versionExpiryRefreshedTicks) < timeToLive.Ticks / 4)
        {
            return;
        }

        try
        {
            await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = TableName,
                Key = Key(clusterId, Schema.VersionSortKey),
                ConditionExpression = "attribute_exists(#sk)",
                UpdateExpression = "SET #exp = :exp",
                ExpressionAttributeNames = new() { ["#sk"] = Schema.SortKey, ["#exp"] = Schema.ExpiresAt },
                ExpressionAttributeValues = new() { [":exp"] = Number((now + timeToLive).ToUnixTimeSeconds()) },
            }, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _versionExpiryRefreshedTicks, now.UtcTicks);
        }
        catch (AmazonDynamoDBException exception)
        {
            _logger.VersionExpiryRefreshFailed(clusterId, exception);
        }
    }

    private async Task BatchDeleteAsync(Dictionary<string, AttributeValue>[] keys, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>>
        {
            [TableName] = keys.Select(key => new WriteRequest { DeleteRequest = new DeleteRequest { Key = key } }).ToList(),
        };
        var unprocessed = await _unprocessedRetry.ExecuteAsync(async token =>
        {
            var response = await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, token).ConfigureAwait(false);
            if (response.UnprocessedItems is { Count: > 0 } left && left.Values.Any(requests => requests.Count > 0))
            {
                pending = left;
                return true;
            }

            return false;
        }, cancellationToken).ConfigureAwait(false);

        if (unprocessed)
        {
            var count = pending.Values.Sum(requests => requests.Count);
            throw new InvalidOperationException(
                $"DynamoDB left {count} deletes in table '{TableName}' unprocessed after repeated retries (throughput exceeded); delete the cluster again.");
        }
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryKeysAsync(string clusterId, CancellationToken cancellationToken)
    {
        var request = PartitionQuery(clusterId);
        request.ProjectionExpression = "#pk, #sk";
        request.ExpressionAttributeNames["#sk"] = Schema.SortKey;
        return await QueryAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private QueryRequest PartitionQuery(string clusterId) => new()
    {
        TableName = TableName,
        KeyConditionExpression = "#pk = :pk",
        ExpressionAttributeNames = new() { ["#pk"] = Schema.PartitionKey },
        ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = clusterId } },
        ConsistentRead = true,
    };

    /// <summary>The version item and the silo rows: the sort keys from <c>$version</c> on (the log and other reserved items sort before).</summary>
    private QueryRequest MembershipQuery(string clusterId)
    {
        var request = PartitionQuery(clusterId);
        request.KeyConditionExpression = "#pk = :pk AND #sk >= :first";
        request.ExpressionAttributeNames["#sk"] = Schema.SortKey;
        request.ExpressionAttributeValues[":first"] = new AttributeValue { S = Schema.VersionSortKey };
        return request;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            var response = await _client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Items is { } page)
            {
                items.AddRange(page);
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);

        return items;
    }

    private static int DeleteOrder(string sortKey)
        => sortKey == Schema.VersionSortKey ? 2 : Schema.IsReservedSortKey(sortKey) ? 1 : 0;

    private void SetExpiry(UpdateItemRequest request, string assignments)
    {
        if (ExpiresAtFromNow() is { } expiresAt)
        {
            request.UpdateExpression = $"SET {assignments}, #exp = :exp";
            request.ExpressionAttributeValues[":exp"] = Number(expiresAt);
        }
        else
        {
            request.UpdateExpression = $"SET {assignments} REMOVE #exp";
        }
    }

    private long? ExpiresAtFromNow()
        => _options.TimeToLive is { } timeToLive ? (_timeProvider.GetUtcNow() + timeToLive).ToUnixTimeSeconds() : null;

    private static TableVersion ToTableVersion(StoredVersion? version)
        => version is null ? new TableVersion(0, AbsentVersionEtag) : new TableVersion(version.Version, version.ETag);

    private string Describe(string clusterId) => $"DynamoDB table '{TableName}', cluster '{clusterId}'";

    private InvalidOperationException NoConsistentRead(string clusterId, InconsistentSnapshotException exception)
        => new($"Could not read a consistent membership snapshot of cluster '{clusterId}' from DynamoDB table '{TableName}' " +
               $"in {SnapshotAttempts} attempts; last problem: {exception.Message}.", exception);

    private sealed record Snapshot(StoredVersion? Version, IReadOnlyList<StoredRow> Rows);

    private sealed record CachedGateways(string ClusterId, string VersionEtag, IReadOnlyList<Uri> Gateways);

    /// <summary>A verified snapshot, kept parsed: the rows are never handed out, only copies of them.</summary>
    private sealed record CachedSnapshot(string ClusterId, StoredVersion? Version, IReadOnlyList<StoredRow> Rows, long ReadAt, TimeSpan ReusableFor);

    // Fresh entries each time: Orleans changes the entries it reads before writing them back.
    private static List<StoredRow> Copies(IEnumerable<StoredRow> rows) => [.. rows.Select(row => row with { Entry = CopyEntry(row.Entry) })];

    private sealed class InconsistentSnapshotException(string message) : Exception(message);
}
