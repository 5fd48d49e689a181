using Orleans.Batch.BatchEmulator.Jobs;

namespace Orleans.Batch.BatchEmulator.Queues;

/// <summary>
/// A job queue with its single compute environment, plus the knobs tests turn to shape scheduling: a cap on
/// active jobs, a reason that keeps jobs RUNNABLE, resource limits, simulated execution. Guarded by the engine lock.
/// </summary>
internal sealed class EmulatedQueue(string name, string arn, long sequence)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    /// <summary>Registration order, for stable DescribeJobQueues paging.</summary>
    public long Sequence { get; } = sequence;

    public required string ComputeEnvironmentName { get; set; }

    public required string ComputeEnvironmentArn { get; set; }

    public bool Enabled { get; set; } = true;

    public int Priority { get; set; } = 1;

    /// <summary>At most this many jobs STARTING or RUNNING at once; null means no cap.</summary>
    public int? MaxRunning { get; set; }

    /// <summary>When set, jobs that reach the head of the queue stay RUNNABLE with this statusReason.</summary>
    public string? StuckReason { get; set; }

    /// <summary>Overrides <see cref="BatchEmulatorOptions.Simulated"/> for this queue when set.</summary>
    public bool? Simulated { get; set; }

    /// <summary>Overrides <see cref="BatchEmulatorOptions.TransitionDelay"/> for this queue when set.</summary>
    public TimeSpan? TransitionDelay { get; set; }

    /// <summary>The largest vCPU count one job may ask for; a larger job stays RUNNABLE (misconfiguration).</summary>
    public double? MaxVcpus { get; set; }

    /// <summary>The largest memory (MiB) one job may ask for.</summary>
    public long? MaxMemoryMiB { get; set; }

    /// <summary>The largest GPU count one job may ask for.</summary>
    public int? MaxGpus { get; set; }

    /// <summary>Top-level jobs (single jobs and array parents) in submission order.</summary>
    public List<EmulatedJob> Jobs { get; } = [];

    /// <summary>RUNNABLE jobs waiting for a slot, first come first served. May hold stale entries.</summary>
    public Queue<EmulatedJob> Ready { get; } = new();

    /// <summary>RUNNABLE jobs whose resource requirement no compute environment of this queue can meet.</summary>
    public HashSet<EmulatedJob> Blocked { get; } = [];

    /// <summary>Jobs STARTING or RUNNING.</summary>
    public int ActiveCount { get; set; }
}
