using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The turn of a DynamoDB cluster: a ticket queue in the <c>$turn</c> item of its partition. A silo takes the next
/// ticket with one atomic counter update, waits until the queue serves it, and passes the turn on by serving the
/// next ticket.
/// </summary>
/// <remarks>
/// <para>A lock that waiters poll with conditional writes costs a write unit per attempt and leaves the turn idle
/// between a release and the next attempt: with hundreds of silos joining together, most of the partition's write
/// capacity went to failed attempts and most of the time to gaps. A queue hands the turn on in one read, serves silos
/// in the order they asked, and lets each waiter poll less often the further back it stands (cheap, eventually
/// consistent reads of one small item). Two places before its turn a waiter catches up with the table (the caller's
/// <c>almostDue</c>), so that in its turn it reads only the one or two changes since; and the next in line watches
/// the table version with the queue, and goes ahead as soon as the holder's write moved it.</para>
/// <para>A holder that dies or hangs is skipped once the turn has not moved for <see cref="DefaultStuckAfter"/> (for the
/// next waiter; later waiters wait proportionally longer, so one waiter usually skips); a skipped holder's late
/// release changes nothing. Correctness never depends on the turn: every membership write is still a
/// compare-and-swap on the table version.</para>
/// </remarks>
internal sealed class DynamoDBMembershipTurnLock : IMembershipTurnLock
{
    /// <summary>The sort key of the queue item (reserved: ignored by reads, deleted with the cluster).</summary>
    public const string TurnSortKey = "$turn";

    /// <summary>How long the turn may stay with one ticket before the next waiter serves the following ticket.</summary>
    public static readonly TimeSpan DefaultStuckAfter = TimeSpan.FromSeconds(3);

    /// <summary>A waiter goes ahead without its turn when the queue has not moved for this long (the queue is broken).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private const int AlmostDue = 2;
    private const string Issued = "Issued";
    private const string Serving = "Serving";
    private const string ServingSince = "ServingSince";
    private const string Left = "Left";
    private static readonly TimeSpan ShortestPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstTurnEstimate = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(5);

    private readonly IAmazonDynamoDB _client;
    private readonly DynamoDBMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _stuckAfter;

    public DynamoDBMembershipTurnLock(IAmazonDynamoDB client, DynamoDBMembershipOptions options, TimeProvider timeProvider, TimeSpan? stuckAfter = null)
    {
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _stuckAfter = stuckAfter ?? DefaultStuckAfter;
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable?> EnterAsync(string clusterId, Func<CancellationToken, Task>? almostDue, CancellationToken cancellationToken)
    {
        var (ticket, queue) = await TakeTicketAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var place = new StrongBox<long>(ticket);
        try
        {
            return await WaitForTurnAsync(clusterId, almostDue, place, queue, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A silo that stops waiting (its start was cancelled) gives up its place, so the silos behind it do not
            // wait for it to look stuck.
            await LeaveAsync(clusterId, place.Value).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<IAsyncDisposable?> WaitForTurnAsync(string clusterId, Func<CancellationToken, Task>? almostDue, StrongBox<long> place, QueueState queue, CancellationToken cancellationToken)
    {
        var ticket = place.Value;
        var turnTime = FirstTurnEstimate;
        var lastMove = _timeProvider.GetTimestamp();
        var prepared = long.MaxValue;
        string? versionWhenNext = null;
        while (true)
        {
            if (queue.Serving == ticket)
            {
                return new Turn(this, clusterId, ticket);
            }

            if (queue.Serving == ticket - 1 && queue.TableVersionEtag is { } version)
            {
                // Next in line: the holder's write moves the table version, and then its turn is as good as over. Going
                // ahead at once saves the hand-over (its release and this silo's next look) on the path of every join.
                versionWhenNext ??= version;
                if (version != versionWhenNext)
                {
                    return new Turn(this, clusterId, ticket);
                }
            }

            if (queue.Serving > ticket)
            {
                // Skipped while not looking (this silo was slower than the stuck limit): queue again.
                (ticket, queue) = await TakeTicketAsync(clusterId, cancellationToken).ConfigureAwait(false);
                place.Value = ticket;
                continue;
            }

            if (queue.AllLeftBefore(ticket) && await TryServeAsync(clusterId, queue.Serving, ticket, cancellationToken, queue.ServingSince).ConfigureAwait(false))
            {
                // Every silo still ahead gave up its place.
                return new Turn(this, clusterId, ticket);
            }

            if (_timeProvider.GetElapsedTime(lastMove) >= GiveUpAfter)
            {
                return null;
            }

            var ahead = ticket - queue.Serving;
            if (ahead <= AlmostDue && ahead < prepared && almostDue is not null)
            {
                // Catch up with the table while the silos ahead hold the turn, so the read in this silo's turn is short.
                prepared = ahead;
                await PrepareAsync(almostDue, cancellationToken).ConfigureAwait(false);
            }

            var stuck = _timeProvider.GetUtcNow() - queue.ServingSince >= _stuckAfter * ahead;
            if (!stuck || !await TryServeAsync(clusterId, queue.Serving, queue.Serving + 1, cancellationToken, queue.ServingSince).ConfigureAwait(false))
            {
                // Next in line: look often, the turn comes any moment. Otherwise about halfway to this silo's expected
                // turn, so the estimate is corrected before it is due.
                var wait = ahead <= 1
                    ? ShortestPoll.TotalMilliseconds
                    : Math.Clamp(ahead * turnTime.TotalMilliseconds / 2, ShortestPoll.TotalMilliseconds, LongestPoll.TotalMilliseconds);
                await Task.Delay(TimeSpan.FromMilliseconds(wait * (1 + (0.2 * Random.Shared.NextDouble()))), _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var polledAt = _timeProvider.GetTimestamp();
            var previous = queue;
            queue = (ahead <= 1
                ? await ReadWithVersionAsync(clusterId, cancellationToken).ConfigureAwait(false)
                : await ReadAsync(clusterId, consistent: ahead <= 2, cancellationToken).ConfigureAwait(false)) ?? queue;
            if (queue.Serving > previous.Serving)
            {
                var perTurn = _timeProvider.GetElapsedTime(lastMove, polledAt) / (queue.Serving - previous.Serving);
                turnTime = (turnTime + perTurn) / 2;
                lastMove = polledAt;
            }
        }
    }

    private static async Task PrepareAsync(Func<CancellationToken, Task> almostDue, CancellationToken cancellationToken)
    {
        try
        {
            await almostDue(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            // Only a head start: the read in the turn does the same.
        }
    }

    private async Task<(long Ticket, QueueState Queue)> TakeTicketAsync(string clusterId, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var response = await _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _options.TableName,
            Key = Key(clusterId),
            UpdateExpression = "SET #serving = if_not_exists(#serving, :one), #since = if_not_exists(#since, :now), #exp = :exp ADD #issued :one",
            ExpressionAttributeNames = new()
            {
                ["#issued"] = Issued,
                ["#serving"] = Serving,
                ["#since"] = ServingSince,
                ["#exp"] = DynamoDBMembershipSchema.ExpiresAt,
            },
            ExpressionAttributeValues = new()
            {
                [":one"] = Number(1),
                [":now"] = Number(now.ToUnixTimeMilliseconds()),
                [":exp"] = Number(now.AddHours(1).ToUnixTimeSeconds()),
            },
            ReturnValues = ReturnValue.ALL_NEW,
        }, cancellationToken).ConfigureAwait(false);
        var state = Read(response.Attributes) ?? throw new InvalidOperationException($"The membership turn of cluster '{clusterId}' came back empty.");
        return (long.Parse(response.Attributes[Issued].N, CultureInfo.InvariantCulture), state);
    }

    /// <summary>The queue and the table version's ETag in one strongly consistent read.</summary>
    private async Task<QueueState?> ReadWithVersionAsync(string clusterId, CancellationToken cancellationToken)
    {
        var response = await _client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [_options.TableName] = new KeysAndAttributes
                {
                    Keys = [Key(clusterId), Key(clusterId, DynamoDBMembershipSchema.VersionSortKey)],
                    ConsistentRead = true,
                    ProjectionExpression = "#sk, #serving, #since, #left, #etag",
                    ExpressionAttributeNames = new()
                    {
                        ["#sk"] = DynamoDBMembershipSchema.SortKey,
                        ["#serving"] = Serving,
                        ["#since"] = ServingSince,
                        ["#left"] = Left,
                        ["#etag"] = DynamoDBMembershipSchema.ETag,
                    },
                },
            },
        }, cancellationToken).ConfigureAwait(false);
        var items = response.Responses?.GetValueOrDefault(_options.TableName) ?? [];
        var queue = Read(items.FirstOrDefault(item => item.TryGetValue(DynamoDBMembershipSchema.SortKey, out var key) && key.S == TurnSortKey));
        var version = items.FirstOrDefault(item => item.TryGetValue(DynamoDBMembershipSchema.SortKey, out var key) && key.S == DynamoDBMembershipSchema.VersionSortKey);
        return queue is { } state && version is not null && version.TryGetValue(DynamoDBMembershipSchema.ETag, out var etag)
            ? state with { TableVersionEtag = etag.S }
            : queue;
    }

    private async Task<QueueState?> ReadAsync(string clusterId, bool consistent, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest
        {
            TableName = _options.TableName,
            Key = Key(clusterId),
            ConsistentRead = consistent,
            ProjectionExpression = "#serving, #since, #left",
            ExpressionAttributeNames = new() { ["#serving"] = Serving, ["#since"] = ServingSince, ["#left"] = Left },
        }, cancellationToken).ConfigureAwait(false);
        return Read(response.Item);
    }

    /// <summary>
    /// Serves <paramref name="next"/> if the queue still serves <paramref name="current"/> (since <paramref name="since"/>,
    /// when given). A release (neither <paramref name="since"/> nor <paramref name="exactly"/>) also moves a queue still
    /// behind <paramref name="current"/>.
    /// </summary>
    private async Task<bool> TryServeAsync(string clusterId, long current, long next, CancellationToken cancellationToken, DateTimeOffset? since = null, bool exactly = false)
    {
        var request = new UpdateItemRequest
        {
            TableName = _options.TableName,
            Key = Key(clusterId),
            UpdateExpression = "SET #serving = :next, #since = :now",
            // A release (no since) also ends the holder's turn ahead when this silo went ahead on its write.
            ConditionExpression = since is null && !exactly ? "#serving <= :current" : "#serving = :current",
            ExpressionAttributeNames = new() { ["#serving"] = Serving, ["#since"] = ServingSince },
            ExpressionAttributeValues = new()
            {
                [":current"] = Number(current),
                [":next"] = Number(next),
                [":now"] = Number(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
            },
        };
        if (since is { } stuckSince)
        {
            request.ConditionExpression += " AND #since = :since";
            request.ExpressionAttributeValues[":since"] = Number(stuckSince.ToUnixTimeMilliseconds());
        }

        try
        {
            await _client.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            // Someone else moved the queue on first.
            return false;
        }
    }

    /// <summary>Gives up <paramref name="ticket"/>'s place; if the turn reached it meanwhile, passes the turn on.</summary>
    private async Task LeaveAsync(string clusterId, long ticket)
    {
        using var timeout = new CancellationTokenSource(LeaveTimeout);
        try
        {
            await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _options.TableName,
                Key = Key(clusterId),
                UpdateExpression = "ADD #left :ticket",
                ExpressionAttributeNames = new() { ["#left"] = Left },
                ExpressionAttributeValues = new() { [":ticket"] = new() { NS = [ticket.ToString(CultureInfo.InvariantCulture)] } },
            }, timeout.Token).ConfigureAwait(false);

            // The turn may have reached this ticket meanwhile: pass it on (nothing happens if it had not).
            await TryServeAsync(clusterId, ticket, ticket + 1, timeout.Token, exactly: true).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Amazon.Runtime.AmazonServiceException or OperationCanceledException or HttpRequestException)
        {
            // The next waiter skips this ticket once it looks stuck.
        }
    }

    private async Task ReleaseAsync(string clusterId, long ticket)
    {
        try
        {
            await TryServeAsync(clusterId, ticket, ticket + 1, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Amazon.Runtime.AmazonServiceException)
        {
            // The next waiter skips this ticket once it looks stuck.
        }
    }

    private static QueueState? Read(Dictionary<string, AttributeValue>? item)
        => item is not null && item.TryGetValue(Serving, out var serving) && item.TryGetValue(ServingSince, out var since)
            ? new QueueState(
                long.Parse(serving.N, CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(since.N, CultureInfo.InvariantCulture)))
            {
                LeftTickets = item.TryGetValue(Left, out var left) && left.NS is { Count: > 0 } tickets
                    ? tickets.Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToHashSet()
                    : null,
            }
            : null;

    private static Dictionary<string, AttributeValue> Key(string clusterId, string sortKey = TurnSortKey) => new()
    {
        [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
        [DynamoDBMembershipSchema.SortKey] = new() { S = sortKey },
    };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private readonly record struct QueueState(long Serving, DateTimeOffset ServingSince, string? TableVersionEtag = null)
    {
        /// <summary>Tickets whose silos stopped waiting before their turn.</summary>
        public HashSet<long>? LeftTickets { get; init; }

        /// <summary>Every ticket from the one served up to <paramref name="ticket"/> (excluded) was given up.</summary>
        public bool AllLeftBefore(long ticket)
        {
            if (LeftTickets is null || Serving >= ticket)
            {
                return false;
            }

            for (var place = Serving; place < ticket; place++)
            {
                if (!LeftTickets.Contains(place))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class Turn(DynamoDBMembershipTurnLock owner, string clusterId, long ticket) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(owner.ReleaseAsync(clusterId, ticket));
    }
}
