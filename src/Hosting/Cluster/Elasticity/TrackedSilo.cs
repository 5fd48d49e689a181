namespace Orleans.Batch.Hosting.Cluster.Elasticity;

/// <summary>Where a silo of a running cluster is in its life, as the manager tracks it.</summary>
internal enum TrackedSiloState
{
    /// <summary>Added to the running cluster; not active yet.</summary>
    Joining,

    /// <summary>An active member.</summary>
    Active,

    /// <summary>Its row says it left or died while its compute still runs: lost, unless its backend starts it again soon.</summary>
    Leaving,

    /// <summary>Lost to its infrastructure; a new attempt under the same index and name is on its way.</summary>
    Replacing,

    /// <summary>Being removed by the manager (graceful stop).</summary>
    Removing,

    /// <summary>Removed by the manager.</summary>
    Removed,

    /// <summary>Lost for good.</summary>
    Lost,
}

/// <summary>One silo index of a running cluster and what the manager knows of it.</summary>
internal sealed class TrackedSilo(int index, string name)
{
    public int Index { get; } = index;

    public string Name { get; } = name;

    public TrackedSiloState State { get; set; } = TrackedSiloState.Joining;

    /// <summary>Its latest active incarnation; null until it has been active.</summary>
    public ClusterSilo? Silo { get; set; }

    /// <summary>The backend attempt last seen (Batch retries and local restarts count up from 1).</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>When it entered <see cref="TrackedSiloState.Leaving"/> or <see cref="TrackedSiloState.Replacing"/>.</summary>
    public long Since { get; set; }

    /// <summary>Why it was lost, once it was.</summary>
    public LostSilo? Lost { get; set; }

    /// <summary>True while it counts towards the minimum: active, or on its way back.</summary>
    public bool CountsAsAlive => State is TrackedSiloState.Active or TrackedSiloState.Leaving or TrackedSiloState.Replacing;
}
