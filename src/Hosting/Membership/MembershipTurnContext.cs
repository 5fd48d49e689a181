namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// The membership turn a silo holds right now, where the silo's membership table can find it: the gate that takes
/// turns and the table that writes in them are separate Orleans components.
/// </summary>
/// <remarks>
/// A DynamoDB table writes a silo's own transition in its turn together with the other silos served with it
/// (see <see cref="DynamoDB.DynamoDBMembershipTurn"/>); every other write goes to the table alone.
/// </remarks>
internal sealed class MembershipTurnContext
{
    private Held? _held;

    /// <summary>Records that <paramref name="silo"/> (its parsable address) holds <paramref name="turn"/> of <paramref name="clusterId"/>.</summary>
    public void Hold(string clusterId, string silo, IAsyncDisposable turn) => Volatile.Write(ref _held, new Held(clusterId, silo, turn));

    /// <summary>Replaces the turn held, <paramref name="spent"/>, with <paramref name="renewed"/> (a new turn for another write).</summary>
    public void Replace(IAsyncDisposable spent, IAsyncDisposable renewed)
    {
        var held = Volatile.Read(ref _held);
        if (held is not null && ReferenceEquals(held.Turn, spent))
        {
            Interlocked.CompareExchange(ref _held, held with { Turn = renewed }, held);
        }
    }

    /// <summary>
    /// Forgets the turn held and returns it, for the caller to give back. It may have been renewed since
    /// <see cref="Hold"/>; a turn is renewed only once its own part is over, so the one held is the one to give back.
    /// </summary>
    public IAsyncDisposable? Take() => Interlocked.Exchange(ref _held, null)?.Turn;

    /// <summary>The turn <paramref name="silo"/> holds in <paramref name="clusterId"/>, if it is a <typeparamref name="TTurn"/>.</summary>
    public TTurn? Find<TTurn>(string clusterId, string silo)
        where TTurn : class
        => Volatile.Read(ref _held) is { } held && held.ClusterId == clusterId && held.Silo == silo ? held.Turn as TTurn : null;

    private sealed record Held(string ClusterId, string Silo, IAsyncDisposable Turn);
}
