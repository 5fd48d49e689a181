namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>The state of a cluster's manager lease.</summary>
internal enum ClusterLeaseState
{
    /// <summary>The cluster has no lease item (or file).</summary>
    None,

    /// <summary>Renewed within its timeout: the manager is alive.</summary>
    Live,

    /// <summary>Not renewed for longer than its timeout: the manager is gone (its silos stop themselves).</summary>
    Expired,

    /// <summary>Marked abandoned by a manager whose tear-down gave up: <c>cleanup</c> releases it at once.</summary>
    Abandoned,
}
