namespace Orleans.Batch.BatchEmulator.Admin;

// Bodies of the admin API under /_emulator (not part of AWS; camelCase JSON).

/// <summary>
/// <c>POST /_emulator/queues</c> (create or replace) and <c>PATCH /_emulator/queues/{name}</c> (only the members
/// present change; JSON null clears an optional one).
/// </summary>
internal sealed class QueueRegistration
{
    public string? Name { get; set; }

    /// <summary>The compute environment's name; default <c>&lt;queue&gt;-ce</c>.</summary>
    public string? ComputeEnvironment { get; set; }

    /// <summary>ENABLED (default) or DISABLED.</summary>
    public string? State { get; set; }

    public int? Priority { get; set; }

    public int? MaxRunning { get; set; }

    public string? StuckReason { get; set; }

    public bool? Simulated { get; set; }

    public int? TransitionDelayMs { get; set; }

    public double? MaxVcpus { get; set; }

    public long? MaxMemoryMiB { get; set; }

    public int? MaxGpus { get; set; }

    /// <summary>The queue's status: VALID (default) or INVALID, with <see cref="StatusReason"/>.</summary>
    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    /// <summary>The queue's jobStateTimeLimitActions (reason, state, maxTimeSeconds 600-86400, action); default none.</summary>
    public List<Api.Model.JobStateTimeLimitActionShape>? JobStateTimeLimitActions { get; set; }

    /// <summary>The compute environment's state: ENABLED (default) or DISABLED.</summary>
    public string? CeState { get; set; }

    /// <summary>The compute environment's status: VALID (default), INVALID, CREATING, ... with <see cref="CeStatusReason"/>.</summary>
    public string? CeStatus { get; set; }

    public string? CeStatusReason { get; set; }

    /// <summary>EC2 (default), SPOT, FARGATE or FARGATE_SPOT.</summary>
    public string? CeType { get; set; }

    /// <summary>The compute environment's maxvCpus, enforced as capacity; default none (no limit).</summary>
    public int? CeMaxvCpus { get; set; }

    /// <summary>The compute environment's instance types; default ["optimal"].</summary>
    public List<string>? CeInstanceTypes { get; set; }
}

internal sealed class QueueInfo
{
    public required string Name { get; set; }

    public required string Arn { get; set; }

    public required string ComputeEnvironment { get; set; }

    public required string State { get; set; }

    public int Priority { get; set; }

    public int? MaxRunning { get; set; }

    public string? StuckReason { get; set; }

    public bool Simulated { get; set; }

    public int TransitionDelayMs { get; set; }

    public double? MaxVcpus { get; set; }

    public long? MaxMemoryMiB { get; set; }

    public int? MaxGpus { get; set; }

    /// <summary>Jobs STARTING or RUNNING.</summary>
    public int ActiveJobs { get; set; }

    /// <summary>RUNNABLE jobs waiting for a slot (or held by stuckReason).</summary>
    public int WaitingJobs { get; set; }

    /// <summary>RUNNABLE jobs no compute environment of the queue can run.</summary>
    public int BlockedJobs { get; set; }

    public string? Status { get; set; }

    public string? CeState { get; set; }

    public string? CeStatus { get; set; }

    public string? CeType { get; set; }

    public int? CeMaxvCpus { get; set; }

    /// <summary>vCPUs of the jobs STARTING or RUNNING.</summary>
    public double ActiveVcpus { get; set; }
}

/// <summary><c>POST /_emulator/faults</c>: the next <c>count</c> calls (of <c>operation</c>, or of any) fail.</summary>
internal sealed class FaultRegistration
{
    /// <summary>throttle (429), server-error (500) or drop-response (done, then the connection is aborted).</summary>
    public string? Kind { get; set; }

    /// <summary>An operation name such as SubmitJob or GetLogEvents; null for any operation.</summary>
    public string? Operation { get; set; }

    /// <summary>How many calls; default 1.</summary>
    public int? Count { get; set; }
}

internal sealed class EmulatorStats
{
    public required Dictionary<string, OperationStats> Operations { get; set; }

    /// <summary>Requests refused before reaching an operation (missing or bad signature).</summary>
    public long RejectedRequests { get; set; }

    /// <summary>Calls by the access key they were signed with, then by operation (job roles have their own keys).</summary>
    public Dictionary<string, Dictionary<string, long>> Callers { get; set; } = [];

    public required Dictionary<string, int> JobsByStatus { get; set; }

    public int Jobs { get; set; }

    public int ProcessesStarted { get; set; }

    public int ProcessesAlive { get; set; }
}

internal sealed class OperationStats
{
    public long Calls { get; set; }

    /// <summary>Calls answered with an error (including injected faults).</summary>
    public long Errors { get; set; }

    public long InjectedFaults { get; set; }
}

internal sealed class JobInfo
{
    public required string JobId { get; set; }

    public required string JobName { get; set; }

    public required string JobQueue { get; set; }

    public required string Status { get; set; }

    public string? StatusReason { get; set; }

    public string? ParentJobId { get; set; }

    public int? ArrayIndex { get; set; }

    public int? ArraySize { get; set; }

    public int Attempt { get; set; }

    public int? ExitCode { get; set; }

    public string? LogStreamName { get; set; }

    /// <summary>The process of the current (or last) attempt.</summary>
    public int? ProcessId { get; set; }

    /// <summary>Whether that process is still running.</summary>
    public bool ProcessAlive { get; set; }

    /// <summary>The process group of the current (or last) attempt; its members are the job's processes.</summary>
    public int? ProcessGroupId { get; set; }

    /// <summary>Whether any (non-zombie) process of any attempt's group is still running.</summary>
    public bool ProcessGroupAlive { get; set; }

    public List<int>? ProcessIds { get; set; }

    public List<int>? ProcessGroupIds { get; set; }
}
