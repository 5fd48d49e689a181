namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// A cluster-wide turn for one membership write at a time. It only avoids lost compare-and-swap races (which
/// Orleans answers with a 2 s back-off); correctness never depends on it, so an expired or stolen turn is harmless.
/// </summary>
internal interface IMembershipTurnLock
{
    /// <summary>
    /// Tries once to take the turn for cluster <paramref name="clusterId"/>; returns the turn (dispose it to give it
    /// back) or null when another silo holds it.
    /// </summary>
    Task<IAsyncDisposable?> TryEnterAsync(string clusterId, CancellationToken cancellationToken);
}
