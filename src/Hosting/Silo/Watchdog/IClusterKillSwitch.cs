namespace Orleans.Batch.Hosting.Silo.Watchdog;

/// <summary>Stops every job of the cluster from inside it, when its manager is gone and nobody else will.</summary>
internal interface IClusterKillSwitch
{
    /// <summary>Terminates the cluster's job(s); in Batch this also cancels children that never started.</summary>
    Task TerminateClusterAsync(string clusterId, CancellationToken cancellationToken);
}
