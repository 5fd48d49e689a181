namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>
/// Where a silo's compute is, as its backend sees it. The names follow AWS Batch job states; the local
/// backend uses the subset that applies to a process.
/// </summary>
public enum SiloBackendState
{
    /// <summary>Accepted by the backend, not yet scheduled.</summary>
    Submitted,

    /// <summary>Waiting on dependencies (Batch: PENDING).</summary>
    Pending,

    /// <summary>Waiting for compute capacity (Batch: RUNNABLE; the status reason says why it waits).</summary>
    Runnable,

    /// <summary>Being placed and started (Batch: STARTING; image pull, container start).</summary>
    Starting,

    /// <summary>The silo's process or container is running.</summary>
    Running,

    /// <summary>Ended with exit code 0.</summary>
    Succeeded,

    /// <summary>Ended with an error, was terminated, or could not start.</summary>
    Failed,
}

/// <summary>Helpers for <see cref="SiloBackendState"/>.</summary>
public static class SiloBackendStateExtensions
{
    /// <summary>True once the silo's compute has ended and can no longer join.</summary>
    public static bool IsTerminal(this SiloBackendState state) => state is SiloBackendState.Succeeded or SiloBackendState.Failed;
}
