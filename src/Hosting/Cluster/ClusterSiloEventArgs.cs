namespace Orleans.Batch.Hosting.Cluster;

/// <summary>A silo joined, was lost from, or was removed from a running cluster.</summary>
public sealed class ClusterSiloEventArgs : EventArgs
{
    /// <summary>Creates the event's data.</summary>
    /// <param name="silo">The silo.</param>
    /// <param name="reason">Why, in a few words (a lost silo's cause, or who removed it).</param>
    /// <param name="replacing">True when a lost silo is being replaced (a new attempt under the same index and name).</param>
    public ClusterSiloEventArgs(ClusterSilo silo, string? reason = null, bool replacing = false)
    {
        ArgumentNullException.ThrowIfNull(silo);
        Silo = silo;
        Reason = reason;
        Replacing = replacing;
    }

    /// <summary>The silo.</summary>
    public ClusterSilo Silo { get; }

    /// <summary>Why, in a few words.</summary>
    public string? Reason { get; }

    /// <summary>True when a lost silo is being replaced: expect a <c>SiloAdded</c> for the same index once it is back.</summary>
    public bool Replacing { get; }
}
