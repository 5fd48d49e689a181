namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// A turn of the DynamoDB queue: the tickets <see cref="First"/> to <see cref="Last"/>, served together. Alone, the
/// holder's write passes the turn on in the same transaction; shared, the silos' writes are committed together by
/// <see cref="DynamoDBMembershipBatch"/>, in one transaction that also serves the next tickets.
/// </summary>
internal sealed class DynamoDBMembershipTurn : IAsyncDisposable
{
    private readonly DynamoDBMembershipTurnLock _queue;
    private int _state;

    internal DynamoDBMembershipTurn(DynamoDBMembershipTurnLock queue, string clusterId, long ticket, long first, long last, long servedAt)
    {
        _queue = queue;
        ClusterId = clusterId;
        Ticket = ticket;
        First = first;
        Last = last;
        ServedAt = servedAt;
    }

    public string ClusterId { get; }

    /// <summary>This silo's ticket.</summary>
    public long Ticket { get; }

    /// <summary>The first ticket served with this one; its silo commits the shared writes.</summary>
    public long First { get; }

    /// <summary>The last ticket served with this one.</summary>
    public long Last { get; }

    /// <summary>When this silo saw its turn (a <see cref="TimeProvider"/> timestamp).</summary>
    public long ServedAt { get; }

    /// <summary>The write that tells the others of a shared turn that this silo saw it (see <see cref="DynamoDBMembershipBatch.NoticeAsync"/>).</summary>
    internal Task Noticed { get; set; } = Task.CompletedTask;

    /// <summary>Whether the turn is this silo's alone.</summary>
    public bool Alone => First == Last;

    /// <summary>Whether this silo's part is done: its write was committed or given up, or it passed.</summary>
    public bool IsOver => Volatile.Read(ref _state) != 0;

    /// <summary>Marks this silo's part done; false if it already was.</summary>
    internal bool TryFinish() => Interlocked.Exchange(ref _state, 1) == 0;

    /// <summary>Marks this silo's part open again: its write lost, and it writes again in the same turn.</summary>
    internal void Reopen() => Volatile.Write(ref _state, 0);

    /// <summary>
    /// Writes this silo's own transition in the turn: alone, with the hand-over in the same transaction; shared,
    /// together with the others. Null when the turn is over and the caller writes on its own.
    /// </summary>
    internal Task<bool?> WriteAsync(PendingMembershipWrite write, CancellationToken cancellationToken) => _queue.Batch.WriteAsync(this, write, cancellationToken);

    /// <summary>A new turn of the same silo in the same queue, for a write after this turn's was done; null if the wait gave up.</summary>
    internal async Task<DynamoDBMembershipTurn?> RenewAsync(CancellationToken cancellationToken)
        => await _queue.EnterAsync(ClusterId, almostDue: null, cancellationToken).ConfigureAwait(false) as DynamoDBMembershipTurn;

    /// <summary>Gives the turn back: passes it on (alone) or tells the others this silo writes nothing (shared).</summary>
    public ValueTask DisposeAsync() => new(_queue.ReleaseAsync(this));
}
