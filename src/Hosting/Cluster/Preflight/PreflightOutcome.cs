namespace Orleans.Batch.Hosting.Cluster.Preflight;

/// <summary>What one preflight check found.</summary>
public enum PreflightOutcome
{
    /// <summary>Nothing wrong.</summary>
    Passed,

    /// <summary>The launch can go ahead, but deserves a line (silos will wait, or may fail on some instances).</summary>
    Warning,

    /// <summary>The silos would wait forever or fail at once: nothing is submitted.</summary>
    Failed,
}
