namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Receives what happens to a cluster as it launches, runs and is torn down (e.g. to show it on a console).</summary>
public interface IClusterLaunchObserver
{
    /// <summary>The state of every silo, reported on every poll of the launch wait.</summary>
    void OnProgress(ClusterLaunchSnapshot snapshot) { }

    /// <summary>Something the user should know that does not stop the run (e.g. going on with fewer silos).</summary>
    void OnWarning(string message) { }

    /// <summary>Something worth saying that is not a warning (e.g. what was taken from the manager's own Batch job).</summary>
    void OnInfo(string message) { }

    /// <summary>A line a local silo wrote, at or above the level the options forward.</summary>
    void OnSiloOutput(Backends.Local.SiloOutputLine line) { }

    /// <summary>A silo died or stopped while the cluster was running, and is not replaced.</summary>
    void OnSiloLost(LostSilo silo) { }

    /// <summary>
    /// A silo was lost to its infrastructure (Spot reclamation, an instance failure, a killed process) and a new attempt
    /// under the same index and name is on its way.
    /// </summary>
    /// <param name="silo">The silo, and why it was lost.</param>
    /// <param name="used">Replacements made so far, this one included.</param>
    /// <param name="budget">Replacements the cluster may make (<c>--replace-lost</c>).</param>
    void OnSiloReplacing(LostSilo silo, int used, int budget) { }

    /// <summary>A silo became an active member of the running cluster: added by the manager, or a replacement back.</summary>
    void OnSiloAdded(ClusterSilo silo) { }

    /// <summary>The manager removed a silo from the running cluster (it left gracefully and its compute stopped).</summary>
    void OnSiloRemoved(ClusterSilo silo, string reason) { }

    /// <summary>Tear-down has begun.</summary>
    void OnTeardownStarted(string reason) { }

    /// <summary>Tear-down has finished.</summary>
    void OnTeardownCompleted(ClusterTeardownReport report) { }
}
