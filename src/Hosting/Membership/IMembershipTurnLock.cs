namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// A cluster-wide turn for membership writes: one silo at a time, or in DynamoDB the silos queued together, whose own
/// transitions the table then commits together (see <see cref="DynamoDB.DynamoDBMembershipTurn"/>). It only avoids
/// lost compare-and-swap races (which Orleans answers with a 2 s back-off); correctness never depends on it, so an
/// expired, skipped or stolen turn is harmless.
/// </summary>
internal interface IMembershipTurnLock
{
    /// <summary>
    /// Waits for the turn of cluster <paramref name="clusterId"/>; returns the turn (dispose it to give it back), or
    /// null when the wait gave up and the caller should go ahead without it.
    /// </summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="almostDue">
    /// Called (at most a few times) while the turn is about to come, so the caller can read what changed while others
    /// still hold it, and its own read in the turn is short. Failures are ignored.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    Task<IAsyncDisposable?> EnterAsync(string clusterId, Func<CancellationToken, Task>? almostDue, CancellationToken cancellationToken);
}
