using Orleans.Batch.BatchEmulator.Processes;
using Orleans.Batch.BatchEmulator.Queues;

namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>
/// A job (single, array parent or array child) and its progress. Every member is guarded by the engine lock.
/// </summary>
internal sealed class EmulatedJob
{
    public required string JobId { get; init; }

    public required string JobArn { get; init; }

    public required string JobName { get; init; }

    public required EmulatedQueue Queue { get; init; }

    public required JobSpec Spec { get; init; }

    /// <summary>Creation order across the emulator; ListJobs sorts and pages by it.</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public JobStatus Status { get; set; }

    public string? StatusReason { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>The array parent of a child; null otherwise.</summary>
    public EmulatedJob? Parent { get; init; }

    /// <summary>The index of an array child.</summary>
    public int? ArrayIndex { get; init; }

    /// <summary>The size of an array parent; null for other jobs.</summary>
    public int? ArraySize { get; init; }

    /// <summary>The children of an array parent once spawned.</summary>
    public EmulatedJob[]? Children { get; set; }

    /// <summary>Per-status child counts of an array parent, indexed by <see cref="JobStatus"/>.</summary>
    public int[]? ChildStatusCounts { get; set; }

    public DateTimeOffset? StatusSummaryUpdatedAt { get; set; }

    /// <summary>The current attempt, from 1.</summary>
    public int Attempt { get; set; } = 1;

    public List<AttemptRecord> Attempts { get; } = [];

    public string? LogStreamName { get; set; }

    public string? TaskArn { get; set; }

    public int? ExitCode { get; set; }

    public string? ContainerReason { get; set; }

    public bool IsCancelled { get; set; }

    public bool IsTerminated { get; set; }

    /// <summary>Set when TerminateJob, CancelJob or the timeout asked the job to stop: the final statusReason.</summary>
    public string? StopReason { get; set; }

    /// <summary>
    /// Set when the emulator reclaims the attempt's instance (as Spot does): the attempt's statusReason, which
    /// <c>evaluateOnExit</c> sees (<c>Host EC2 (instance i-…) terminated.</c>); cleared when a new attempt starts.
    /// </summary>
    public string? HostTerminatedReason { get; set; }

    /// <summary>The instance metadata <c>spot/instance-action</c> document served to this attempt, once a notice was given.</summary>
    public string? SpotInstanceAction { get; set; }

    /// <summary>Whether this attempt runs a process (false: simulated).</summary>
    public bool RunsProcess { get; set; }

    public JobProcess? Process { get; set; }

    /// <summary>Process ids of every attempt, for the admin API.</summary>
    public List<int> ProcessIds { get; } = [];

    /// <summary>Process groups of every attempt (each process leads its own group where setsid exists).</summary>
    public List<int> ProcessGroupIds { get; } = [];

    /// <summary>
    /// Bumped on every state change; a timer carries the value it was scheduled with and is ignored when
    /// they differ, so stale timers need no cancellation.
    /// </summary>
    public int Generation { get; set; }

    /// <summary>True while the job sits in its queue's <see cref="EmulatedQueue.Ready"/> queue.</summary>
    public bool IsQueuedForDispatch { get; set; }

    public bool IsArrayParent => ArraySize is not null;
}
