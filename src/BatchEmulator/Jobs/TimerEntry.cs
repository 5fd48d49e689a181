namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>What a due timer does to its job.</summary>
internal enum TimerKind
{
    /// <summary>Leave the current non-terminal state (SUBMITTED, PENDING, RUNNABLE or STARTING).</summary>
    Advance,

    /// <summary>A simulated job's container exits with 0.</summary>
    SimulatedExit,

    /// <summary>timeout.attemptDurationSeconds has passed since startedAt.</summary>
    AttemptTimeout,

    /// <summary>The Spot notice's two minutes are over: the instance is reclaimed.</summary>
    Reclaim,

    /// <summary>The grace period after SIGTERM is over: SIGKILL.</summary>
    HardKill,

    /// <summary>A job queue's jobStateTimeLimitActions: a job blocked in RUNNABLE for that long is cancelled.</summary>
    StateTimeLimit,
}

/// <summary>A scheduled transition; ignored when the job's generation has moved on since it was scheduled.</summary>
internal readonly record struct TimerEntry(EmulatedJob Job, int Generation, TimerKind Kind);
