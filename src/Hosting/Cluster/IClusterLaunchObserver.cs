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

    /// <summary>A silo died or stopped while the cluster was running.</summary>
    void OnSiloLost(LostSilo silo) { }

    /// <summary>Tear-down has begun.</summary>
    void OnTeardownStarted(string reason) { }

    /// <summary>Tear-down has finished.</summary>
    void OnTeardownCompleted(ClusterTeardownReport report) { }
}
