namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>What one clean-up step does.</summary>
internal enum ClusterCleanupActionKind
{
    /// <summary><c>TerminateJob</c> on one of the cluster's jobs (an array parent terminates its children).</summary>
    TerminateJob,

    /// <summary>Deletes the cluster's membership partition (rows, version, lease).</summary>
    DeletePartition,

    /// <summary>
    /// Leaves the cluster (or its partition) alone after all: it showed life again when it was read just before
    /// acting, or some of its jobs could not be terminated.
    /// </summary>
    Skip,
}
