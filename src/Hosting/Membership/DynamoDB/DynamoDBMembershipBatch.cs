using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Runtime;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;
using static Orleans.Batch.Hosting.Membership.DynamoDB.MembershipItemConverter;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>A silo's write of its own row, as the membership table would commit it alone.</summary>
/// <param name="Identity">The silo identity (the row's sort key).</param>
/// <param name="Row">The row item to put (it carries the new row ETag).</param>
/// <param name="ExpectedRowEtag">The row ETag the update expects, or null for an insert.</param>
/// <param name="Version">The table version the write creates, with the ETag of the version it read.</param>
/// <param name="Items">The transaction that commits the write alone: the row, the version item and the change log.</param>
internal sealed record PendingMembershipWrite(
    string Identity, Dictionary<string, AttributeValue> Row, string? ExpectedRowEtag, TableVersion Version, List<TransactWriteItem> Items)
{
    /// <summary>The ETag the row has once this write is committed.</summary>
    public string NewRowEtag => Row[Schema.ETag].S;
}

/// <summary>
/// Commits the transitions of silos that share a turn (<see cref="DynamoDBMembershipTurn"/>) as one compare-and-swap
/// of the table version.
/// </summary>
/// <remarks>
/// <para>Each silo served in the turn reads the table (all read the same version, since nobody else writes
/// meanwhile) and posts what it would write as an intent item (<c>$intent#</c> and its ticket) instead of committing
/// it (having said at once, when it saw its turn, that it will). The turn's first silo waits until every ticket of
/// the turn has posted (or given up its place), at most <see cref="FillTimeout"/> for a silo that has not said it
/// saw its turn and <see cref="PendingTimeout"/> for one that has, and commits in one transaction: the rows of every intent that read the current
/// version, the version item (conditioned on that version), one change log item with all the rows, and the queue
/// serving the next tickets; then it removes the intents. If a row's own condition fails, that intent is left out
/// and the commit tried again. Once the queue has moved on, a silo whose row carries its new ETag is done; any
/// other writes on its own, which fails if the table moved since its read, as the contract wants.</para>
/// <para>This keeps the compare-and-swap contract of every write: a write is committed only if the table is still
/// at the version it read (and its row at the ETag it read), or it fails without side effects. Only a silo's own
/// transitions (Joining, Active, ShuttingDown, Dead), which do not depend on other rows, are written this way.
/// If the first silo does not commit, the others of the turn take over one after the other.</para>
/// </remarks>
internal sealed class DynamoDBMembershipBatch
{
    /// <summary>Sort keys of intents: the prefix and the ticket in ten digits (they sort before <c>$version</c>).</summary>
    public const string IntentPrefix = "$intent#";

    /// <summary>How long the first silo of a turn waits for a silo of the turn that has not said it saw its turn.</summary>
    public static readonly TimeSpan FillTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long the first silo of a turn waits for the intent of a silo that saw its turn.</summary>
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When the first silo has not committed by then, the others do, one after the other (this much later each), in
    /// case the first silo never saw its turn.
    /// </summary>
    public static readonly TimeSpan TakeOverAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>When the turn has not ended by then, a silo writes on its own.</summary>
    public static readonly TimeSpan GiveUpAfter = PendingTimeout + TimeSpan.FromSeconds(15);

    private const string Pass = "Pass";
    private const string Waiting = "Waiting";
    private const string Row = "Row";
    private const string RowETag = "RowETag";
    private const string ConditionalCheckFailed = "ConditionalCheckFailed";
    private const int CommitAttempts = 4;
    private static readonly TimeSpan CommitterPoll = TimeSpan.FromMilliseconds(40);

    // Only the silo's own next step waits for it; the next turn starts with the commit.
    private static readonly TimeSpan MemberPoll = TimeSpan.FromMilliseconds(500);

    private readonly IAmazonDynamoDB _client;
    private readonly DynamoDBMembershipOptions _options;
    private readonly TimeProvider _timeProvider;

    public DynamoDBMembershipBatch(IAmazonDynamoDB client, DynamoDBMembershipOptions options, TimeProvider timeProvider)
    {
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>The sort key of the intent of <paramref name="ticket"/>.</summary>
    public static string IntentSortKey(long ticket) => string.Create(CultureInfo.InvariantCulture, $"{IntentPrefix}{ticket:D10}");

    /// <summary>Writes <paramref name="write"/> in <paramref name="turn"/>; null when the caller must write on its own.</summary>
    public async Task<bool?> WriteAsync(DynamoDBMembershipTurn turn, PendingMembershipWrite write, CancellationToken cancellationToken)
    {
        if (!turn.TryFinish())
        {
            return null;
        }

        if (turn.Alone)
        {
            return await CommitAloneAsync(turn, write, cancellationToken).ConfigureAwait(false);
        }

        await turn.Noticed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await PutIntentAsync(turn, write, cancellationToken).ConfigureAwait(false);
        await WaitForCommitAsync(turn, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(turn, write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the others of <paramref name="turn"/> that this silo writes nothing in it, and helps commit theirs.</summary>
    public async Task PassAsync(DynamoDBMembershipTurn turn, CancellationToken cancellationToken)
    {
        if (!turn.TryFinish())
        {
            return;
        }

        await turn.Noticed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await PutIntentAsync(turn, write: null, cancellationToken).ConfigureAwait(false);
        await WaitForCommitAsync(turn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tells the first silo of the turn that will serve <paramref name="ticket"/> that its silo is there and writes soon,
    /// so that it waits for its intent (up to <see cref="PendingTimeout"/>) rather than only <see cref="FillTimeout"/>.
    /// </summary>
    public Task NoticeAsync(string clusterId, long ticket, CancellationToken cancellationToken)
    {
        var item = Key(clusterId, IntentSortKey(ticket));
        item[Waiting] = new AttributeValue { BOOL = true };
        item[Schema.ExpiresAt] = Number(_timeProvider.GetUtcNow().AddHours(1).ToUnixTimeSeconds());
        return _client.PutItemAsync(new PutItemRequest { TableName = _options.TableName, Item = item }, cancellationToken);
    }

    private async Task<bool?> CommitAloneAsync(DynamoDBMembershipTurn turn, PendingMembershipWrite write, CancellationToken cancellationToken)
    {
        List<TransactWriteItem> items = [.. write.Items, DynamoDBMembershipTurnLock.PassOn(_options, turn, _timeProvider.GetUtcNow())];
        try
        {
            await DynamoDBMembershipCommit.TransactAsync(_client, _options, items, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TransactionCanceledException exception) when (DynamoDBMembershipCommit.ContentionCodes(exception) is { } codes)
        {
            var turnLost = DynamoDBMembershipCommit.Lost(codes[^1]);
            var writeLost = codes.Take(codes.Count - 1).Any(code => code is not null and not "None");
            if (turnLost && !writeLost)
            {
                // The turn was skipped meanwhile (it looked stuck): the write itself may still go through.
                return null;
            }

            if (!turnLost)
            {
                // The write lost to a concurrent change; the turn is still this silo's, for Orleans' next attempt.
                turn.Reopen();
            }

            return false;
        }
        catch
        {
            turn.Reopen();
            throw;
        }
    }

    private async Task PutIntentAsync(DynamoDBMembershipTurn turn, PendingMembershipWrite? write, CancellationToken cancellationToken)
    {
        var item = Key(turn.ClusterId, IntentSortKey(turn.Ticket));
        item[Schema.ExpiresAt] = Number(_timeProvider.GetUtcNow().AddHours(1).ToUnixTimeSeconds());
        if (write is null)
        {
            item[Pass] = new AttributeValue { BOOL = true };
        }
        else
        {
            item[Row] = new AttributeValue { M = write.Row };
            item[Schema.Version] = Number(write.Version.Version);
            item[Schema.PreviousETag] = new AttributeValue { S = write.Version.VersionEtag };
            if (write.ExpectedRowEtag is { } expected)
            {
                item[RowETag] = new AttributeValue { S = expected };
            }
        }

        await _client.PutItemAsync(new PutItemRequest { TableName = _options.TableName, Item = item }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Until the queue has moved past <paramref name="turn"/>: the first silo (later, any) commits; the others watch.</summary>
    private async Task WaitForCommitAsync(DynamoDBMembershipTurn turn, CancellationToken cancellationToken)
    {
        while (true)
        {
            var elapsed = _timeProvider.GetElapsedTime(turn.ServedAt);
            if (elapsed >= GiveUpAfter)
            {
                return;
            }

            if (elapsed >= FillTimeout + (TakeOverAfter * (turn.Ticket - turn.First)) || turn.Ticket == turn.First)
            {
                var state = await ReadTurnAsync(turn, cancellationToken).ConfigureAwait(false);
                if (state.Moved)
                {
                    return;
                }

                // Every silo of the turn has said what it writes; or those that have not even said they saw their turn
                // are given up; or the wait for those that did is over.
                var ready = state.Complete || (elapsed >= FillTimeout && !state.Waiting) || elapsed >= PendingTimeout;
                if (ready && await TryCommitAsync(turn, state, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(CommitterPoll, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(MemberPoll, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (await QueueMovedAsync(turn, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Commits the intents of <paramref name="state"/> that read the current version; false if the turn changed under it.</summary>
    private async Task<bool> TryCommitAsync(DynamoDBMembershipTurn turn, TurnState state, CancellationToken cancellationToken)
    {
        var etag = state.Version?.ETag ?? DynamoDBMembershipStore.AbsentVersionEtag;
        var next = new TableVersion((state.Version?.Version ?? 0) + 1, etag);
        var valid = state.Intents.Where(intent => intent.Row is not null && intent.VersionEtag == etag && intent.Version == next.Version).ToList();
        var expiresAt = _options.TimeToLive is { } timeToLive ? (_timeProvider.GetUtcNow() + timeToLive).ToUnixTimeSeconds() : (long?)null;
        for (var attempt = 0; attempt < CommitAttempts; attempt++)
        {
            var items = new List<TransactWriteItem>();
            var rows = new Dictionary<int, Intent>();
            foreach (var intent in valid)
            {
                rows[items.Count] = intent;
                items.Add(new TransactWriteItem { Put = RowPut(intent) });
            }

            if (valid.Count > 0
                && DynamoDBMembershipCommit.VersionWriteFor(_options.TableName, turn.ClusterId, next, valid.ToDictionary(i => i.Identity!, i => i.NewRowEtag!, StringComparer.Ordinal), expiresAt) is { } versionWrite)
            {
                items.Add(versionWrite.Item);
                DynamoDBMembershipCommit.AddChangeLog(_options, items, turn.ClusterId, next, versionWrite.ETag, changed: [.. valid.Select(i => i.Row!)], removed: [], expiresAt);
            }

            items.Add(DynamoDBMembershipTurnLock.PassOn(_options, turn, _timeProvider.GetUtcNow()));
            try
            {
                await DynamoDBMembershipCommit.TransactAsync(_client, _options, items, cancellationToken).ConfigureAwait(false);
            }
            catch (TransactionCanceledException exception) when (DynamoDBMembershipCommit.ContentionCodes(exception) is { } codes)
            {
                var lostRows = rows.Where(row => codes[row.Key] == ConditionalCheckFailed).Select(row => row.Value).ToList();
                var othersLost = codes.Where((code, index) => !rows.ContainsKey(index) && code is not null and not "None").Any();
                if (lostRows.Count == 0 || othersLost)
                {
                    // Another silo committed, the queue moved, or a write of no turn moved the version: read again.
                    return false;
                }

                // A row changed since its silo read it: that write fails alone, the others are committed.
                valid.RemoveAll(lostRows.Contains);
                continue;
            }

            // The intents have served their purpose (a silo learns its outcome from its row): remove them, after the
            // commit so the next turn does not wait for it.
            await RemoveIntentsAsync(turn.ClusterId, [.. state.Intents.Select(intent => intent.Ticket)], cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>Takes back what <see cref="NoticeAsync"/> said, for a ticket its silo no longer holds.</summary>
    public Task ForgetAsync(string clusterId, long ticket) => RemoveIntentsAsync(clusterId, [ticket], CancellationToken.None);

    private async Task RemoveIntentsAsync(string clusterId, IReadOnlyList<long> tickets, CancellationToken cancellationToken)
    {
        foreach (var chunk in tickets.Chunk(25))
        {
            try
            {
                // Unprocessed deletes (throttling) are left like failed ones.
                await _client.BatchWriteItemAsync(new BatchWriteItemRequest
                {
                    RequestItems = new()
                    {
                        [_options.TableName] = [.. chunk.Select(ticket => new WriteRequest { DeleteRequest = new DeleteRequest { Key = Key(clusterId, IntentSortKey(ticket)) } })],
                    },
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonDynamoDBException)
            {
                // Left for the cluster's deletion (or the items' expiry): no reader depends on them.
            }
        }
    }

    private Put RowPut(Intent intent)
    {
        var put = new Put { TableName = _options.TableName, Item = intent.Row, ExpressionAttributeNames = new() { ["#sk"] = Schema.SortKey } };
        if (intent.ExpectedRowEtag is null)
        {
            put.ConditionExpression = "attribute_not_exists(#sk)";
        }
        else
        {
            put.ConditionExpression = "attribute_exists(#sk) AND #etag = :rowEtag";
            put.ExpressionAttributeNames["#etag"] = Schema.ETag;
            put.ExpressionAttributeValues = new() { [":rowEtag"] = new AttributeValue { S = intent.ExpectedRowEtag } };
        }

        return put;
    }

    /// <summary>
    /// True when this silo's write was committed with the turn; otherwise null, and the silo writes on its own: its
    /// compare-and-swap fails if the table moved on since its read (as a write left out of the turn would have), and
    /// goes through if nothing was committed in the turn (its intent came too late to be taken).
    /// </summary>
    private async Task<bool?> OutcomeAsync(DynamoDBMembershipTurn turn, PendingMembershipWrite write, CancellationToken cancellationToken)
    {
        var row = (await _client.GetItemAsync(new GetItemRequest
        {
            TableName = _options.TableName,
            Key = Key(turn.ClusterId, write.Identity),
            ConsistentRead = true,
            ProjectionExpression = "#etag",
            ExpressionAttributeNames = new() { ["#etag"] = Schema.ETag },
        }, cancellationToken).ConfigureAwait(false)).Item;
        if (row is not null && row.TryGetValue(Schema.ETag, out var etag) && etag.S == write.NewRowEtag)
        {
            return true;
        }

        await RemoveIntentsAsync(turn.ClusterId, [turn.Ticket], cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<bool> QueueMovedAsync(DynamoDBMembershipTurn turn, CancellationToken cancellationToken)
        => Moved(turn, await DynamoDBMembershipTurnLock.ReadAsync(_client, _options, turn.ClusterId, consistent: true, cancellationToken).ConfigureAwait(false));

    /// <summary>The intents of the turn's tickets, the queue and the table version, each read strongly consistent.</summary>
    private async Task<TurnState> ReadTurnAsync(DynamoDBMembershipTurn turn, CancellationToken cancellationToken)
    {
        var intents = _client.QueryAsync(new QueryRequest
        {
            TableName = _options.TableName,
            KeyConditionExpression = "#pk = :pk AND #sk BETWEEN :first AND :last",
            ExpressionAttributeNames = new() { ["#pk"] = Schema.PartitionKey, ["#sk"] = Schema.SortKey },
            ExpressionAttributeValues = new()
            {
                [":pk"] = new AttributeValue { S = turn.ClusterId },
                [":first"] = new AttributeValue { S = IntentSortKey(turn.First) },
                [":last"] = new AttributeValue { S = IntentSortKey(turn.Last) },
            },
            ConsistentRead = true,
        }, cancellationToken);
        var others = _client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [_options.TableName] = new KeysAndAttributes
                {
                    Keys = [DynamoDBMembershipTurnLock.Key(turn.ClusterId), Key(turn.ClusterId, Schema.VersionSortKey)],
                    ConsistentRead = true,
                },
            },
        }, cancellationToken);
        await Task.WhenAll(intents, others).ConfigureAwait(false);

        var items = (await others.ConfigureAwait(false)).Responses?.GetValueOrDefault(_options.TableName) ?? [];
        var queue = DynamoDBMembershipTurnLock.Read(items.FirstOrDefault(item => GetSortKey(item) == DynamoDBMembershipTurnLock.TurnSortKey));
        var versionItem = items.FirstOrDefault(item => GetSortKey(item) == Schema.VersionSortKey);
        var version = versionItem is null ? null : ReadVersion($"DynamoDB table '{_options.TableName}', cluster '{turn.ClusterId}'", versionItem);
        var posted = ((await intents.ConfigureAwait(false)).Items ?? []).Select(ReadIntent).OfType<Intent>().ToList();
        var present = posted.Where(intent => !intent.Waiting).Select(intent => intent.Ticket).ToHashSet();
        var complete = Enumerable.Range(0, (int)(turn.Last - turn.First + 1))
            .All(offset => present.Contains(turn.First + offset) || queue?.LeftTickets?.Contains(turn.First + offset) == true);
        return new TurnState(queue, version, posted, complete, posted.Any(intent => intent.Waiting), Moved(turn, queue));
    }

    private static bool Moved(DynamoDBMembershipTurn turn, DynamoDBMembershipTurnLock.QueueState? queue)
        => queue is not { } current || current.Serving != turn.First;

    private static Intent? ReadIntent(Dictionary<string, AttributeValue> item)
    {
        if (GetSortKey(item) is not { } sortKey || !sortKey.StartsWith(IntentPrefix, StringComparison.Ordinal)
            || !long.TryParse(sortKey.AsSpan(IntentPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ticket))
        {
            return null;
        }

        if (!item.TryGetValue(Row, out var row) || row.M is not { } rowItem || GetSortKey(rowItem) is not { } identity
            || !rowItem.TryGetValue(Schema.ETag, out var newEtag) || newEtag.S is null
            || !item.TryGetValue(Schema.Version, out var version) || !item.TryGetValue(Schema.PreviousETag, out var versionEtag))
        {
            // A pass, a silo still reading, or an intent this code cannot read: nothing to write for that ticket.
            return new Intent(ticket, null, null, null, null, 0, null) { Waiting = item.TryGetValue(Waiting, out var waiting) && waiting.BOOL == true };
        }

        return new Intent(
            ticket, identity, rowItem, newEtag.S, item.TryGetValue(RowETag, out var expected) ? expected.S : null,
            int.Parse(version.N, CultureInfo.InvariantCulture), versionEtag.S);
    }

    private sealed record Intent(long Ticket, string? Identity, Dictionary<string, AttributeValue>? Row, string? NewRowEtag, string? ExpectedRowEtag, int Version, string? VersionEtag)
    {
        /// <summary>The silo saw its turn and has not said yet what it writes.</summary>
        public bool Waiting { get; init; }
    }

    private sealed record TurnState(DynamoDBMembershipTurnLock.QueueState? Queue, StoredVersion? Version, List<Intent> Intents, bool Complete, bool Waiting, bool Moved);
}
