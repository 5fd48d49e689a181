namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>
/// How many silos lost to their infrastructure (Spot reclamation, an instance failure, a killed process) a cluster
/// may replace over its life (<c>--replace-lost</c>). Whoever sees a new attempt first, the backend that starts it or
/// the manager that observes Batch starting it, accepts it here; each attempt is counted once.
/// </summary>
public sealed class SiloReplacementBudget
{
    /// <summary>The most attempts Batch's <c>retryStrategy</c> allows a job (the first one included).</summary>
    public const int MaxAttemptsPerSilo = 10;

    private readonly HashSet<(int Index, int Attempt)> _accepted = [];
    private readonly Lock _gate = new();

    /// <summary>Creates a budget of <paramref name="total"/> replacements.</summary>
    public SiloReplacementBudget(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        Total = total;
    }

    /// <summary>How many replacements the cluster may make.</summary>
    public int Total { get; }

    /// <summary>How many it has made.</summary>
    public int Used
    {
        get
        {
            lock (_gate)
            {
                return _accepted.Count;
            }
        }
    }

    /// <summary>
    /// How many attempts each silo gets (Batch <c>retryStrategy.attempts</c>): one more than the budget, at most
    /// <see cref="MaxAttemptsPerSilo"/>; the cluster-wide budget is what really limits replacements.
    /// </summary>
    public int AttemptsPerSilo => Math.Min(MaxAttemptsPerSilo, Total + 1);

    /// <summary>
    /// Accepts attempt <paramref name="attempt"/> (2 or more) of the silo at <paramref name="index"/> as a replacement:
    /// true when it was accepted before or the budget has room, false when the budget is spent.
    /// </summary>
    public bool TryAccept(int index, int attempt)
    {
        lock (_gate)
        {
            if (_accepted.Contains((index, attempt)))
            {
                return true;
            }

            if (_accepted.Count >= Total)
            {
                return false;
            }

            _accepted.Add((index, attempt));
            return true;
        }
    }
}
