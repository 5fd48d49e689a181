namespace Orleans.Batch.Hosting.Silo;

/// <summary>
/// How an Orleans.Batch silo identifies itself, listens and stops (configuration section <c>OrleansBatch:Silo</c>).
/// </summary>
public sealed class SiloHostingOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "OrleansBatch:Silo";

    /// <summary>
    /// The silo name. Default: the Batch job id (<c>AWS_BATCH_JOB_ID</c>) when running in a Batch job, else
    /// <c>&lt;host&gt;-&lt;pid&gt;</c>. The local backend sets <c>local-&lt;index&gt;</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>The silo-to-silo port. Default 0: pick a free port at start (retried if taken meanwhile).</summary>
    public int SiloPort { get; set; }

    /// <summary>The client gateway port. Default 0: pick a free port at start (retried if taken meanwhile).</summary>
    public int GatewayPort { get; set; }

    /// <summary>How many times to pick new free ports when the chosen ones turn out to be taken. Default 5.</summary>
    public int MaxPortAttempts { get; set; } = 5;

    /// <summary>
    /// When set, the silo stops when this process (its manager) is gone. The local backend sets it.
    /// </summary>
    public int? ParentProcessId { get; set; }

    /// <summary>
    /// When true, the silo stops when its standard input reaches end-of-file: the local backend keeps a pipe
    /// open and closes it to ask for a graceful stop, and the pipe closes by itself if the manager dies.
    /// Default false.
    /// </summary>
    public bool WatchStandardInput { get; set; }

    /// <summary>
    /// How long a graceful stop may take before the host gives up. Default 20 seconds, well inside the
    /// 30 seconds AWS Batch (ECS) waits between SIGTERM and SIGKILL.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often a silo on EC2 asks the instance metadata service for a Spot interruption notice; on one it leaves the
    /// cluster gracefully and exits with <see cref="SiloExitCodes.Interrupted"/> so it is replaced. Default 5 seconds
    /// (AWS's advice); zero turns it off. Only asked inside a Batch job on EC2 (not Fargate, not locally).
    /// </summary>
    public TimeSpan SpotInterruptionCheckPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
