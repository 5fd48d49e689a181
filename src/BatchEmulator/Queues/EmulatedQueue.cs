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

    /// <summary>The queue's status: VALID, or INVALID with <see cref="StatusReason"/>.</summary>
    public string Status { get; set; } = "VALID";

    public string? StatusReason { get; set; }

    /// <summary>The compute environment's state: ENABLED or DISABLED (a disabled one places no job).</summary>
    public string ComputeEnvironmentState { get; set; } = "ENABLED";

    /// <summary>The compute environment's status: VALID, or INVALID (it places no job) with a reason.</summary>
    public string ComputeEnvironmentStatus { get; set; } = "VALID";

    public string? ComputeEnvironmentStatusReason { get; set; }

    /// <summary>EC2, SPOT, FARGATE or FARGATE_SPOT.</summary>
    public string ComputeResourceType { get; set; } = "EC2";

    /// <summary>
    /// The compute environment's maxvCpus, enforced as capacity: jobs wait in RUNNABLE while the vCPUs of the jobs
    /// STARTING or RUNNING leave no room, and a job larger than it never leaves RUNNABLE. Null: no limit (reported
    /// as <see cref="UnlimitedVcpus"/>).
    /// </summary>
    public int? ComputeEnvironmentMaxvCpus { get; set; }

    /// <summary>The compute environment's instance types (<c>optimal</c> by default).</summary>
    public List<string> InstanceTypes { get; set; } = ["optimal"];

    /// <summary>What DescribeComputeEnvironments reports as maxvCpus when no capacity is set.</summary>
    public const int UnlimitedVcpus = 100_000;

    /// <summary>
    /// The queue's jobStateTimeLimitActions: a RUNNABLE job whose status reason starts with an action's reason is
    /// cancelled after its maxTimeSeconds (times <see cref="BatchEmulatorOptions.StateTimeLimitScale"/>).
    /// </summary>
    public List<Api.Model.JobStateTimeLimitActionShape> StateTimeLimitActions { get; set; } = [];

    /// <summary>vCPUs of the jobs STARTING or RUNNING.</summary>
    public double ActiveVcpus { get; set; }

    /// <summary>True while the compute environment can place jobs.</summary>
    public bool ComputeEnvironmentUsable => ComputeEnvironmentState == "ENABLED" && ComputeEnvironmentStatus == "VALID";

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
