using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The turn of a DynamoDB cluster: a ticket queue in the <c>$turn</c> item of its partition. A silo takes the next
/// ticket with one atomic counter update and waits until the queue serves it. The queue serves the tickets waiting
/// when a turn ends together, up to <see cref="MaxShared"/> of them (<see cref="DynamoDBMembershipTurn"/>).
/// </summary>
/// <remarks>
/// <para>Orleans writes every membership transition as a read of the table and a compare-and-swap of the table
/// version, so transitions one after another cost a read, a write and a hand-over each: a thousand silos joining
/// together (two transitions each) took minutes. Silos served together all read the same version, and
/// <see cref="DynamoDBMembershipBatch"/> commits their own transitions as one compare-and-swap of that version, in
/// the transaction that also serves the next tickets. A silo served alone passes the turn on in its own write's
/// transaction. Either way the hand-over costs no request of its own.</para>
/// <para>A waiter polls less often the further back it stands (cheap reads of one small item). Shortly before its
/// turn it catches up with the table (the caller's <c>almostDue</c>), so that in its turn it reads only the
/// changes since. A turn that does not end within <see cref="DefaultStuckAfter"/> (for the next waiter; later
/// waiters wait proportionally longer) is skipped; a skipped silo's late write changes nothing about the queue.
/// Correctness never depends on the turn: every membership write is still a compare-and-swap on the table
/// version.</para>
/// </remarks>
internal sealed class DynamoDBMembershipTurnLock : IMembershipTurnLock
{
    /// <summary>The sort key of the queue item (reserved: ignored by reads, deleted with the cluster).</summary>
    public const string TurnSortKey = "$turn";

    /// <summary>The most tickets one turn serves: each adds a row to the shared commit (at most 100 items, four of them not rows).</summary>
    public const int MaxShared = 32;

    /// <summary>How long one turn may last before the next waiter serves the following tickets.</summary>
    public static readonly TimeSpan DefaultStuckAfter = TimeSpan.FromSeconds(3);

    /// <summary>A waiter goes ahead without its turn when the queue has not moved for this long (the queue is broken).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    internal const string Issued = "Issued";
    internal const string Serving = "Serving";
    internal const string ServingTo = "ServingTo";
    internal const string ServingSince = "ServingSince";
    internal const string Left = "Left";
    private static readonly TimeSpan ShortestPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan NextTurnPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan NextTurnLongestPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstTurnEstimate = TimeSpan.FromMilliseconds(20);
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
        Batch = new DynamoDBMembershipBatch(client, options, timeProvider);
    }

    /// <summary>Commits the writes of silos that share a turn.</summary>
    internal DynamoDBMembershipBatch Batch { get; }

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
        var prepared = false;
        Task? noticed = null;
        while (true)
        {
            if (queue.Serves(ticket))
            {
                var turn = new DynamoDBMembershipTurn(this, clusterId, ticket, queue.Serving, queue.ServingTo, _timeProvider.GetTimestamp());
                if (!turn.Alone)
                {
                    // While this silo reads the table, the others learn that it is there (if they have not yet).
                    turn.Noticed = noticed ?? Batch.NoticeAsync(clusterId, ticket, CancellationToken.None);
                }

                return turn;
            }

            if (queue.Serving > ticket)
            {
                // Skipped while not looking (this silo was slower than the stuck limit): queue again.
                if (noticed is not null)
                {
                    await Batch.ForgetAsync(clusterId, ticket).ConfigureAwait(false);
                    noticed = null;
                }

                (ticket, queue) = await TakeTicketAsync(clusterId, cancellationToken).ConfigureAwait(false);
                place.Value = ticket;
                prepared = false;
                continue;
            }

            if (queue.AllLeftBefore(ticket) && await TryServeAsync(clusterId, queue.Serving, ticket, ticket, cancellationToken, queue.ServingSince).ConfigureAwait(false))
            {
                // Every silo still ahead gave up its place.
                return new DynamoDBMembershipTurn(this, clusterId, ticket, ticket, ticket, _timeProvider.GetTimestamp());
            }

            if (_timeProvider.GetElapsedTime(lastMove) >= GiveUpAfter)
            {
                return null;
            }

            var ahead = ticket - queue.ServingTo;
            if (ahead <= MaxShared && !prepared)
            {
                // The next turn serves this silo. Its first silo will wait for this one's write rather than give up on
                // it; and catching up with the table while the silos ahead still write makes the read in the turn short.
                prepared = true;
                noticed = Batch.NoticeAsync(clusterId, ticket, CancellationToken.None);
                if (almostDue is not null)
                {
                    await PrepareAsync(almostDue, cancellationToken).ConfigureAwait(false);
                }
            }

            // A shared turn is over only once any of its silos could have committed it (see DynamoDBMembershipBatch).
            var turnsAhead = 1 + ((ahead - 1) / MaxShared);
            var stuckAfter = (_stuckAfter * turnsAhead) + (queue.ServingTo > queue.Serving ? DynamoDBMembershipBatch.PendingTimeout : TimeSpan.Zero);
            var stuck = _timeProvider.GetUtcNow() - queue.ServingSince >= stuckAfter;
            if (!stuck || !await TryServeAsync(clusterId, queue.Serving, queue.ServingTo + 1, null, cancellationToken, queue.ServingSince).ConfigureAwait(false))
            {
                // A quarter of the way to this silo's expected turn (turns go faster once the first rush is over), so
                // the estimate is corrected before it is due and the silo sees the next turn coming. In the next
                // turn (the silos served together wait for the last of them to notice), halfway to the expected end of
                // the current one, and then often.
                var wait = ahead <= MaxShared
                    ? Math.Clamp((((queue.ServingTo - queue.Serving + 1) * turnTime) - _timeProvider.GetElapsedTime(lastMove)).TotalMilliseconds / 2, NextTurnPoll.TotalMilliseconds, NextTurnLongestPoll.TotalMilliseconds)
                    : Math.Clamp(ahead * turnTime.TotalMilliseconds / 4, ShortestPoll.TotalMilliseconds, LongestPoll.TotalMilliseconds);
                await Task.Delay(TimeSpan.FromMilliseconds(wait * (1 + (0.2 * Random.Shared.NextDouble()))), _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var polledAt = _timeProvider.GetTimestamp();
            var previous = queue;
            queue = await ReadAsync(clusterId, consistent: ahead <= MaxShared, cancellationToken).ConfigureAwait(false) ?? queue;
            if (queue.Serving > previous.Serving)
            {
                var perTicket = _timeProvider.GetElapsedTime(lastMove, polledAt) / (queue.Serving - previous.Serving);
                turnTime = (turnTime + perTicket) / 2;
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
            UpdateExpression = "SET #serving = if_not_exists(#serving, :one), #to = if_not_exists(#to, :zero), #since = if_not_exists(#since, :now), #exp = :exp ADD #issued :one",
            ExpressionAttributeNames = new()
            {
                ["#issued"] = Issued,
                ["#serving"] = Serving,
                ["#to"] = ServingTo,
                ["#since"] = ServingSince,
                ["#exp"] = DynamoDBMembershipSchema.ExpiresAt,
            },
            ExpressionAttributeValues = new()
            {
                [":one"] = Number(1),
                [":zero"] = Number(0),
                [":now"] = Number(now.ToUnixTimeMilliseconds()),
                [":exp"] = Number(now.AddHours(1).ToUnixTimeSeconds()),
            },
            ReturnValues = ReturnValue.ALL_NEW,
        }, cancellationToken).ConfigureAwait(false);
        var state = Read(response.Attributes) ?? throw new InvalidOperationException($"The membership turn of cluster '{clusterId}' came back empty.");
        return (state.Issued, state);
    }

    private Task<QueueState?> ReadAsync(string clusterId, bool consistent, CancellationToken cancellationToken)
        => ReadAsync(_client, _options, clusterId, consistent, cancellationToken);

    /// <summary>The queue of cluster <paramref name="clusterId"/>; null when it has no item.</summary>
    internal static async Task<QueueState?> ReadAsync(IAmazonDynamoDB client, DynamoDBMembershipOptions options, string clusterId, bool consistent, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(clusterId),
            ConsistentRead = consistent,
            ProjectionExpression = Projection,
            ExpressionAttributeNames = ProjectionNames(),
        }, cancellationToken).ConfigureAwait(false);
        return Read(response.Item);
    }

    /// <summary>The queue's attributes that <see cref="Read"/> needs.</summary>
    private const string Projection = "#serving, #to, #since, #left, #issued";

    /// <summary>The names of <see cref="Projection"/>.</summary>
    private static Dictionary<string, string> ProjectionNames() => new()
    {
        ["#serving"] = Serving,
        ["#to"] = ServingTo,
        ["#since"] = ServingSince,
        ["#left"] = Left,
        ["#issued"] = Issued,
    };

    /// <summary>
    /// Serves <paramref name="next"/> up to <paramref name="nextTo"/> (null: with every ticket issued by then) if the
    /// queue still serves <paramref name="current"/> (since <paramref name="since"/>, when given). A release (neither
    /// <paramref name="since"/> nor <paramref name="exactly"/>) also moves a queue still behind <paramref name="current"/>.
    /// </summary>
    private async Task<bool> TryServeAsync(string clusterId, long current, long next, long? nextTo, CancellationToken cancellationToken, DateTimeOffset? since = null, bool exactly = false)
    {
        var request = new UpdateItemRequest
        {
            TableName = _options.TableName,
            Key = Key(clusterId),
            UpdateExpression = nextTo is null ? "SET #serving = :next, #to = #issued, #since = :now" : "SET #serving = :next, #to = :nextTo, #since = :now",
            // Exactly: only a turn of that ticket alone (a shared turn ends with its commit).
            ConditionExpression = since is not null ? "#serving = :current" : exactly ? "#serving = :current AND #to <= :current" : "#serving <= :current",
            ExpressionAttributeNames = new() { ["#serving"] = Serving, ["#to"] = ServingTo, ["#since"] = ServingSince },
            ExpressionAttributeValues = new()
            {
                [":current"] = Number(current),
                [":next"] = Number(next),
                [":now"] = Number(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
            },
        };
        if (nextTo is { } last)
        {
            request.ExpressionAttributeValues[":nextTo"] = Number(last);
        }
        else
        {
            request.ExpressionAttributeNames["#issued"] = Issued;
        }

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

    /// <summary>
    /// The part of a commit that ends <paramref name="turn"/> and serves the tickets after it (those issued by then):
    /// only if the queue still serves that turn. The first ticket served identifies a turn, since it only grows.
    /// </summary>
    internal static TransactWriteItem PassOn(DynamoDBMembershipOptions options, DynamoDBMembershipTurn turn, DateTimeOffset now) => new()
    {
        Update = new Update
        {
            TableName = options.TableName,
            Key = Key(turn.ClusterId),
            UpdateExpression = "SET #serving = :next, #to = #issued, #since = :now",
            ConditionExpression = "#serving = :first",
            ExpressionAttributeNames = new() { ["#serving"] = Serving, ["#to"] = ServingTo, ["#since"] = ServingSince, ["#issued"] = Issued },
            ExpressionAttributeValues = new()
            {
                [":first"] = Number(turn.First),
                [":next"] = Number(turn.Last + 1),
                [":now"] = Number(now.ToUnixTimeMilliseconds()),
            },
        },
    };

    /// <summary>Gives up <paramref name="ticket"/>'s place; if the turn reached it alone meanwhile, passes the turn on.</summary>
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

            // A shared turn counts a given-up place as written; a turn of its own has to be passed on (nothing happens
            // if the turn had not reached it).
            await TryServeAsync(clusterId, ticket, ticket + 1, null, timeout.Token, exactly: true).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Amazon.Runtime.AmazonServiceException or OperationCanceledException or HttpRequestException)
        {
            // The next waiter skips this ticket once it looks stuck.
        }
    }

    /// <summary>Ends this silo's part of <paramref name="turn"/> if its write did not already.</summary>
    internal async Task ReleaseAsync(DynamoDBMembershipTurn turn)
    {
        if (turn.IsOver)
        {
            return;
        }

        try
        {
            if (!turn.Alone)
            {
                await Batch.PassAsync(turn, CancellationToken.None).ConfigureAwait(false);
            }
            else if (turn.TryFinish())
            {
                await TryServeAsync(turn.ClusterId, turn.First, turn.Last + 1, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            // The next waiter skips this turn once it looks stuck.
        }
    }

    /// <summary>The queue as an item of the partition holds it.</summary>
    internal static QueueState? Read(Dictionary<string, AttributeValue>? item)
    {
        if (item is null || !item.TryGetValue(Serving, out var serving) || !item.TryGetValue(ServingSince, out var since))
        {
            return null;
        }

        // A turn serves the tickets issued when it began, at most MaxShared of them, and at least its first (which may
        // have been issued after it began); an item written before turns were shared has no end: one ticket.
        var first = long.Parse(serving.N, CultureInfo.InvariantCulture);
        var to = item.TryGetValue(ServingTo, out var end) ? long.Parse(end.N, CultureInfo.InvariantCulture) : first;
        return new QueueState(
            first,
            Math.Max(first, Math.Min(to, first + MaxShared - 1)),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(since.N, CultureInfo.InvariantCulture)),
            item.TryGetValue(Issued, out var issued) ? long.Parse(issued.N, CultureInfo.InvariantCulture) : first)
        {
            LeftTickets = item.TryGetValue(Left, out var left) && left.NS is { Count: > 0 } tickets
                ? tickets.Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToHashSet()
                : null,
        };
    }

    internal static Dictionary<string, AttributeValue> Key(string clusterId) => new()
    {
        [DynamoDBMembershipSchema.PartitionKey] = new() { S = clusterId },
        [DynamoDBMembershipSchema.SortKey] = new() { S = TurnSortKey },
    };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The queue: tickets <see cref="Serving"/> to <see cref="ServingTo"/> hold the turn.</summary>
    internal readonly record struct QueueState(long Serving, long ServingTo, DateTimeOffset ServingSince, long Issued)
    {
        /// <summary>Tickets whose silos stopped waiting before their turn.</summary>
        public HashSet<long>? LeftTickets { get; init; }

        /// <summary>Whether the current turn includes <paramref name="ticket"/>.</summary>
        public bool Serves(long ticket) => ticket >= Serving && ticket <= ServingTo;

        /// <summary>Every ticket from the one served up to <paramref name="ticket"/> (excluded) was given up.</summary>
        public bool AllLeftBefore(long ticket)
        {
            if (LeftTickets is null || ServingTo >= ticket)
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
}
