using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Batch.BatchEmulator.Definitions;
using Orleans.Batch.BatchEmulator.Logs;
using Orleans.Batch.BatchEmulator.Processes;
using Orleans.Batch.BatchEmulator.Queues;

namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>
/// The job state machine: queues, definitions and jobs, one timer loop that moves every job along, and the
/// processes that stand for containers. All state is guarded by one lock; work that must not run under it
/// (starting processes, signals) is queued as effects and run right after the lock is released.
/// </summary>
/// <remarks>
/// Timers live in one priority queue served by one loop, so 10 000 array children cost 10 000 heap entries,
/// not 10 000 timers; array parents keep per-status child counts, updated in O(1) per child transition.
/// </remarks>
internal sealed class JobEngine : IAsyncDisposable
{
    public const string EssentialContainerExited = "Essential container in task exited";
    public const string TimeoutReason = "Job attempt duration exceeded timeout";
    public const string ResourceMisconfiguration =
        "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.";

    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TestClockRecheck = TimeSpan.FromMilliseconds(20);

    private readonly Lock _sync = new();
    private readonly BatchEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly JobLogStore _logs;
    private readonly ILogger _logger;
    private readonly Dictionary<string, EmulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedQueue> _queues = new(StringComparer.Ordinal);
    private readonly PriorityQueue<TimerEntry, long> _timers = new();
    private readonly List<Action> _effects = [];
    private readonly HashSet<JobProcess> _liveProcesses = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _workRoot;
    private readonly bool _ownsWorkRoot;
    private readonly ContainerRuntime? _containers;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _timerLoop = Task.CompletedTask;
    private long _sequence;
    private int _processesStarted;
    private bool _shuttingDown;
    private Task? _disposal;

    public JobEngine(BatchEmulatorOptions options, TimeProvider time, JobLogStore logs, ILogger logger)
    {
        _options = options;
        _time = time;
        _logs = logs;
        _logger = logger;
        ArnPrefix = $"arn:aws:batch:{options.Region}:{options.AccountId}:";
        Definitions = new JobDefinitionStore(ArnPrefix + "job-definition/");
        if (options.WorkDirectory is { } workDirectory)
        {
            _workRoot = Directory.CreateDirectory(workDirectory).FullName;
        }
        else
        {
            _workRoot = Directory.CreateTempSubdirectory("batch-emulator-").FullName;
            _ownsWorkRoot = true;
        }

        if (options.Containers)
        {
            _containers = new ContainerRuntime(options.ContainerEngine, Guid.NewGuid().ToString("N")[..12]);
            _containers.CheckAvailable();
        }
    }

    /// <summary>The container runtime in container mode; null when jobs run as processes.</summary>
    public ContainerRuntime? Containers => _containers;

    /// <summary><c>arn:aws:batch:&lt;region&gt;:&lt;account&gt;:</c></summary>
    public string ArnPrefix { get; }

    public BatchEmulatorOptions Options => _options;

    /// <summary>Job definitions; use only under <see cref="Read{T}"/> or <see cref="Mutate{T}"/>.</summary>
    public JobDefinitionStore Definitions { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Where the emulator listens, once it does: jobs get its per-job instance metadata endpoint.</summary>
    public Uri? MetadataBaseAddress { get; set; }

    /// <summary>The path segment of a job's instance metadata endpoint (job ids of array children contain a colon).</summary>
    public static string InstanceMetadataKey(string jobId) => jobId.Replace(':', '_');

    /// <summary>The job whose instance metadata key is <paramref name="key"/>.</summary>
    public EmulatedJob? FindJobByInstanceMetadataKey(string key)
    {
        var separator = key.LastIndexOf('_');
        return FindJob(key) ?? (separator > 0 ? FindJob(key[..separator] + ":" + key[(separator + 1)..]) : null);
    }

    public void Start() => _timerLoop = Task.Run(() => RunTimerLoopAsync(_stopping.Token));

    /// <summary>Runs <paramref name="read"/> under the engine lock.</summary>
    public T Read<T>(Func<T> read)
    {
        lock (_sync)
        {
            return read();
        }
    }

    /// <summary>Runs <paramref name="mutate"/> under the engine lock, then the effects it queued.</summary>
    public T Mutate<T>(Func<T> mutate)
    {
        T result;
        lock (_sync)
        {
            result = mutate();
        }

        RunEffects();
        return result;
    }

    // ---- lookups (under the lock) ----

    public EmulatedJob? FindJob(string jobId) => _jobs.GetValueOrDefault(jobId);

    public IEnumerable<EmulatedJob> AllJobs() => _jobs.Values.OrderBy(j => j.Sequence).ThenBy(j => j.ArrayIndex ?? -1);

    public int JobCount => _jobs.Count;

    public int ProcessesStarted => _processesStarted;

    public int LiveProcessCount => _liveProcesses.Count;

    public IEnumerable<EmulatedQueue> Queues => _queues.Values.OrderBy(q => q.Sequence);

    /// <summary>Finds a queue by name or ARN.</summary>
    public EmulatedQueue? FindQueue(string nameOrArn)
    {
        var prefix = ArnPrefix + "job-queue/";
        var name = nameOrArn.StartsWith(prefix, StringComparison.Ordinal) ? nameOrArn[prefix.Length..] : nameOrArn;
        return _queues.GetValueOrDefault(name);
    }

    /// <summary>Creates a queue (with its compute environment) or returns the existing one.</summary>
    public EmulatedQueue GetOrAddQueue(string name, string computeEnvironment)
    {
        if (!_queues.TryGetValue(name, out var queue))
        {
            queue = new EmulatedQueue(name, ArnPrefix + "job-queue/" + name, ++_sequence)
            {
                ComputeEnvironmentName = computeEnvironment,
                ComputeEnvironmentArn = ArnPrefix + "compute-environment/" + computeEnvironment,
            };
            _queues.Add(name, queue);
        }

        return queue;
    }

    public TimeSpan TransitionDelay(EmulatedQueue queue) => queue.TransitionDelay ?? _options.TransitionDelay;

    public bool IsSimulated(EmulatedQueue queue) => queue.Simulated ?? _options.Simulated;

    // ---- submission ----

    /// <summary>Creates a job in SUBMITTED (an array parent when <paramref name="arraySize"/> is set).</summary>
    public EmulatedJob Submit(EmulatedQueue queue, JobSpec spec, string jobName, int? arraySize)
    {
        var now = Now;
        var jobId = Guid.NewGuid().ToString();
        var job = new EmulatedJob
        {
            JobId = jobId,
            JobArn = ArnPrefix + "job/" + jobId,
            JobName = jobName,
            Queue = queue,
            Spec = spec,
            Sequence = ++_sequence,
            CreatedAt = now,
            Status = JobStatus.Submitted,
            ArraySize = arraySize,
        };
        _jobs.Add(jobId, job);
        queue.Jobs.Add(job);
        Schedule(job, TimerKind.Advance, TransitionDelay(queue), now);
        EmulatorLog.JobSubmitted(_logger, jobId, jobName, queue.Name, arraySize is { } size ? $" as an array of {size}" : "");
        return job;
    }

    // ---- stopping jobs ----

    /// <summary>TerminateJob: cancels jobs not yet STARTING, stops running ones (SIGTERM, then SIGKILL).</summary>
    public void Terminate(EmulatedJob job, string reason)
    {
        var now = Now;
        if (job.IsArrayParent)
        {
            if (job.Status.IsTerminal())
            {
                return;
            }

            job.IsTerminated = true;
            job.StopReason ??= reason;
            if (job.Children is null)
            {
                job.IsCancelled = true;
                Finish(job, JobStatus.Failed, job.StopReason, now);
                return;
            }

            foreach (var child in job.Children)
            {
                Stop(child, reason, now, terminate: true);
            }

            return;
        }

        Stop(job, reason, now, terminate: true);
    }

    /// <summary>CancelJob: fails jobs not yet STARTING; STARTING and RUNNING jobs carry on.</summary>
    public void Cancel(EmulatedJob job, string reason)
    {
        var now = Now;
        if (job.IsArrayParent)
        {
            if (job.Status.IsTerminal())
            {
                return;
            }

            job.IsCancelled = true;
            job.StopReason ??= reason;
            if (job.Children is null)
            {
                Finish(job, JobStatus.Failed, job.StopReason, now);
                return;
            }

            foreach (var child in job.Children)
            {
                Stop(child, reason, now, terminate: false);
            }

            return;
        }

        Stop(job, reason, now, terminate: false);
    }

    private void Stop(EmulatedJob job, string reason, DateTimeOffset now, bool terminate)
    {
        if (job.Status.IsTerminal())
        {
            return;
        }

        if (job.Status is JobStatus.Submitted or JobStatus.Pending or JobStatus.Runnable)
        {
            job.IsCancelled = true;
            job.IsTerminated |= terminate;
            job.StopReason ??= reason;
            Finish(job, JobStatus.Failed, job.StopReason, now);
            return;
        }

        if (!terminate)
        {
            return; // CancelJob leaves STARTING and RUNNING jobs alone
        }

        job.IsTerminated = true;
        StopActive(job, reason, now);
    }

    /// <summary>Stops a STARTING or RUNNING job: the reason becomes its final statusReason.</summary>
    private void StopActive(EmulatedJob job, string reason, DateTimeOffset now)
    {
        if (job.StopReason is not null && job.Status == JobStatus.Running)
        {
            return; // already stopping: the first reason wins, the grace timer is running
        }

        job.StopReason ??= reason;
        if (job.Status == JobStatus.Starting || job.Process is null)
        {
            // No process yet (or simulated): nothing to wait for.
            RecordAttempt(job, now, exitCode: null);
            Finish(job, JobStatus.Failed, job.StopReason, now);
            return;
        }

        SigtermThenKill(job, job.Process, reason, now);
    }

    /// <summary>How ECS stops a container: SIGTERM now, SIGKILL once the grace period has passed.</summary>
    private void SigtermThenKill(EmulatedJob job, JobProcess process, string reason, DateTimeOffset now)
    {
        var jobId = job.JobId;
        Effect(() =>
        {
            EmulatorLog.SendingSigterm(_logger, jobId, process.Id, reason);
            process.RequestStop();
        });
        Schedule(job, TimerKind.HardKill, _options.TerminationGracePeriod, now);
    }

    // ---- queue changes ----

    /// <summary>Re-evaluates a queue after its settings changed: blocked jobs, stuck reasons, dispatch.</summary>
    public void OnQueueChanged(EmulatedQueue queue)
    {
        var now = Now;
        foreach (var blocked in queue.Blocked.ToList())
        {
            if (!ExceedsQueueResources(blocked))
            {
                queue.Blocked.Remove(blocked);
                MakeReady(blocked, now);
            }
        }

        foreach (var ready in queue.Ready)
        {
            if (ready.IsQueuedForDispatch)
            {
                ready.StatusReason = queue.StuckReason;
                ScheduleTimeLimit(ready, now);
            }
        }

        Dispatch(queue, now);
    }

    // ---- the state machine ----

    private void Fire(TimerEntry entry, DateTimeOffset now)
    {
        var job = entry.Job;
        if (job.Generation != entry.Generation || job.Status.IsTerminal())
        {
            return;
        }

        switch (entry.Kind)
        {
            case TimerKind.Advance:
                Advance(job, now);
                break;
            case TimerKind.SimulatedExit when job.Status == JobStatus.Running && !job.RunsProcess:
                CompleteAttempt(job, exitCode: 0, now);
                break;
            case TimerKind.AttemptTimeout when job.Status == JobStatus.Running:
                StopActive(job, TimeoutReason, now);
                break;
            case TimerKind.StateTimeLimit when job.Status == JobStatus.Runnable && MatchingTimeLimit(job) is { } action:
                Finish(job, JobStatus.Failed, action.Reason, now);
                break;
            case TimerKind.Reclaim when job.Status == JobStatus.Running:
                Reclaim(job);
                break;
            case TimerKind.HardKill when job.Process is { } process:
                var jobId = job.JobId;
                Effect(() =>
                {
                    EmulatorLog.KillingAfterGrace(_logger, jobId, process.Id);
                    process.Kill();
                });
                break;
        }
    }

    private void Advance(EmulatedJob job, DateTimeOffset now)
    {
        var delay = TransitionDelay(job.Queue);
        switch (job.Status)
        {
            case JobStatus.Submitted when job.IsArrayParent:
                SpawnChildren(job, now);
                break;
            case JobStatus.Submitted:
                SetStatus(job, JobStatus.Pending, now);
                Schedule(job, TimerKind.Advance, delay, now);
                break;
            case JobStatus.Pending:
                SetStatus(job, JobStatus.Runnable, now);
                Schedule(job, TimerKind.Advance, delay, now);
                break;
            case JobStatus.Runnable:
                MakeReady(job, now);
                break;
            case JobStatus.Starting:
                StartAttempt(job, now);
                break;
        }
    }

    /// <summary>An array parent spawns its children in PENDING; it stays SUBMITTED until one is RUNNABLE.</summary>
    private void SpawnChildren(EmulatedJob parent, DateTimeOffset now)
    {
        var size = parent.ArraySize!.Value;
        var children = new EmulatedJob[size];
        var counts = new int[JobStatusNames.Count];
        counts[(int)JobStatus.Pending] = size;
        parent.ChildStatusCounts = counts;
        parent.StatusSummaryUpdatedAt = now;
        var delay = TransitionDelay(parent.Queue);
        for (var i = 0; i < size; i++)
        {
            var suffix = ":" + i.ToString(CultureInfo.InvariantCulture);
            var child = new EmulatedJob
            {
                JobId = parent.JobId + suffix,
                JobArn = parent.JobArn + suffix,
                JobName = parent.JobName,
                Queue = parent.Queue,
                Spec = parent.Spec,
                Sequence = parent.Sequence,
                CreatedAt = now,
                Status = JobStatus.Pending,
                Parent = parent,
                ArrayIndex = i,
            };
            children[i] = child;
            _jobs.Add(child.JobId, child);
            Schedule(child, TimerKind.Advance, delay, now);
        }

        parent.Children = children;
    }

    /// <summary>A RUNNABLE job that has waited its turn joins the dispatch queue, unless it can never be placed.</summary>
    private void MakeReady(EmulatedJob job, DateTimeOffset now)
    {
        var queue = job.Queue;
        if (ExceedsQueueResources(job))
        {
            job.StatusReason = ResourceMisconfiguration;
            queue.Blocked.Add(job);
            ScheduleTimeLimit(job, now);
            return;
        }

        job.StatusReason = queue.StuckReason;
        ScheduleTimeLimit(job, now);
        job.IsQueuedForDispatch = true;
        queue.Ready.Enqueue(job);
        Dispatch(queue, now);
    }

    /// <summary>The queue's jobStateTimeLimitAction for the reason this RUNNABLE job is blocked, if any.</summary>
    private static Api.Model.JobStateTimeLimitActionShape? MatchingTimeLimit(EmulatedJob job) =>
        job.StatusReason is { } reason
            ? job.Queue.StateTimeLimitActions.FirstOrDefault(a => a.State == "RUNNABLE" && reason.StartsWith(a.Reason, StringComparison.Ordinal))
            : null;

    /// <summary>A job blocked for a reason a time limit action names is cancelled once it has waited that long.</summary>
    private void ScheduleTimeLimit(EmulatedJob job, DateTimeOffset now)
    {
        if (MatchingTimeLimit(job) is { } action)
        {
            Schedule(job, TimerKind.StateTimeLimit, TimeSpan.FromSeconds(action.MaxTimeSeconds * _options.StateTimeLimitScale), now);
        }
    }

    private static bool ExceedsQueueResources(EmulatedJob job)
    {
        var queue = job.Queue;
        var spec = job.Spec;
        return (queue.MaxVcpus is { } vcpus && spec.RequiredVcpus > vcpus)
            || (queue.ComputeEnvironmentMaxvCpus is { } capacity && spec.RequiredVcpus > capacity)
            || (queue.MaxMemoryMiB is { } memory && spec.RequiredMemoryMiB > memory)
            || (queue.MaxGpus is { } gpus && spec.RequiredGpus > gpus);
    }

    /// <summary>Moves ready jobs to STARTING while the queue has free slots and is not held.</summary>
    private void Dispatch(EmulatedQueue queue, DateTimeOffset now)
    {
        if (queue.StuckReason is not null || !queue.ComputeEnvironmentUsable)
        {
            return;
        }

        while (queue.Ready.Count > 0 && (queue.MaxRunning is not { } cap || queue.ActiveCount < cap))
        {
            var job = queue.Ready.Peek();
            if (!job.IsQueuedForDispatch || job.Status != JobStatus.Runnable)
            {
                queue.Ready.Dequeue();
                continue; // stale entry: cancelled while waiting
            }

            // First come, first served: the head waits for room (as Batch does with FIFO queues), without a reason.
            if (queue.ComputeEnvironmentMaxvCpus is { } capacity && queue.ActiveVcpus + job.Spec.RequiredVcpus > capacity)
            {
                return;
            }

            queue.Ready.Dequeue();

            job.IsQueuedForDispatch = false;
            job.StatusReason = null;
            SetStatus(job, JobStatus.Starting, now);
            Schedule(job, TimerKind.Advance, TransitionDelay(queue), now);
        }
    }

    /// <summary>STARTING → RUNNING: starts the process (or, simulated, just the clock) of the current attempt.</summary>
    private void StartAttempt(EmulatedJob job, DateTimeOffset now)
    {
        var taskId = Guid.NewGuid().ToString("N");
        job.TaskArn = $"arn:aws:ecs:{_options.Region}:{_options.AccountId}:task/{job.Queue.ComputeEnvironmentName}_Batch/{taskId}";
        job.LogStreamName = $"{job.Spec.Definition.Name}/default/{taskId}";
        job.ExitCode = null;
        job.ContainerReason = null;
        job.HostTerminatedReason = null;
        job.SpotInstanceAction = null;
        var stream = _logs.Create(job.LogStreamName);
        job.RunsProcess = !IsSimulated(job.Queue);
        if (!job.RunsProcess)
        {
            EnterRunning(job, now);
            if (_options.SimulatedRunDuration is { } runFor)
            {
                Schedule(job, TimerKind.SimulatedExit, runFor, now);
            }

            return;
        }

        JobLaunch launch;
        try
        {
            launch = BuildLaunch(job);
        }
        catch (InvalidOperationException ex)
        {
            FailToStart(job, ex.Message, now);
            return;
        }

        var generation = job.Generation;
        Effect(() => _ = Task.Run(() => LaunchProcess(job, generation, launch, stream)));
    }

    private void EnterRunning(EmulatedJob job, DateTimeOffset now)
    {
        SetStatus(job, JobStatus.Running, now);
        job.StartedAt = now;
        job.StoppedAt = null;
        if (job.Spec.AttemptDurationSeconds is { } seconds)
        {
            Schedule(job, TimerKind.AttemptTimeout, TimeSpan.FromSeconds(seconds), now);
        }
    }

    private void FailToStart(EmulatedJob job, string containerReason, DateTimeOffset now)
    {
        job.ContainerReason = containerReason;
        RecordAttempt(job, now, exitCode: null);
        Finish(job, JobStatus.Failed, "Task failed to start", now);
    }

    private JobLaunch BuildLaunch(EmulatedJob job)
    {
        var spec = job.Spec;
        if (_containers is not null)
        {
            return BuildContainerLaunch(job);
        }

        var executable = _options.ImageLaunchers.TryGetValue(spec.Image, out var mapped) ? mapped : _options.LauncherPath;
        if (executable is null)
        {
            throw new InvalidOperationException(
                $"CannotStartContainerError: no executable stands for image '{spec.Image}' (start the Batch emulator with --launcher or --image-launcher)");
        }

        var arguments = new List<string>();
        if (executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            arguments.Add(executable);
            executable = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }

        arguments.AddRange(spec.Command);

        // The emulator's own environment stands for what the job role and the image provide.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (!name.StartsWith("AWS_BATCH", StringComparison.Ordinal))
            {
                environment[name] = (string?)variable.Value ?? "";
            }
        }

        foreach (var variable in spec.Environment)
        {
            environment[variable.Name!] = variable.Value ?? "";
        }

        ApplyJobRole(spec, environment);
        AddBatchVariables(job, environment);
        return new JobLaunch(job.JobId, executable, arguments, environment, AttemptDirectory(job));
    }

    /// <summary>Container mode: the job's own environment and Batch's variables only, as in a real container.</summary>
    private JobLaunch BuildContainerLaunch(EmulatedJob job)
    {
        var spec = job.Spec;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in spec.Environment)
        {
            environment[variable.Name!] = variable.Value ?? "";
        }

        ApplyJobRole(spec, environment);
        AddBatchVariables(job, environment);
        var settings = new ContainerSettings(spec.Image, spec.Command, spec.RequiredVcpus, spec.RequiredMemoryMiB, spec.ReadonlyRootFilesystem, spec.User);
        return _containers!.BuildLaunch(job.JobId, job.Attempt, settings, environment, AttemptDirectory(job));
    }

    // The job role's own credentials, as ECS provides them; a job without a role keeps the emulator's.
    private static void ApplyJobRole(JobSpec spec, Dictionary<string, string> environment)
    {
        if (spec.Definition.Container.JobRoleArn is { Length: > 0 } role)
        {
            Security.JobRoleCredentials.Apply(role, environment);
        }
    }

    private void AddBatchVariables(EmulatedJob job, Dictionary<string, string> environment)
    {
        // The instance metadata service of the job's "instance": the emulator's, per job (Spot notices, local-ipv4).
        if (MetadataBaseAddress is { } metadata)
        {
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = new Uri(metadata, $"_imds/{InstanceMetadataKey(job.JobId)}/").AbsoluteUri;
        }

        environment["AWS_BATCH_JOB_ID"] = job.JobId;
        environment["AWS_BATCH_JOB_ATTEMPT"] = job.Attempt.ToString(CultureInfo.InvariantCulture);
        environment["AWS_BATCH_JQ_NAME"] = job.Queue.Name;
        environment["AWS_BATCH_CE_NAME"] = job.Queue.ComputeEnvironmentName;
        if (job.Parent is { } parent)
        {
            environment["AWS_BATCH_JOB_ARRAY_INDEX"] = job.ArrayIndex!.Value.ToString(CultureInfo.InvariantCulture);
            environment["AWS_BATCH_JOB_ARRAY_SIZE"] = parent.ArraySize!.Value.ToString(CultureInfo.InvariantCulture);
        }
    }

    private string AttemptDirectory(EmulatedJob job)
    {
        var directoryName = job.JobId.Replace(':', '_') + "-" + job.Attempt.ToString(CultureInfo.InvariantCulture);
        return Directory.CreateDirectory(Path.Combine(_workRoot, directoryName)).FullName;
    }

    private void LaunchProcess(EmulatedJob job, int generation, JobLaunch launch, JobLogStream stream)
    {
        JobProcess process;
        try
        {
            process = JobProcess.Start(launch, _containers, line =>
            {
                stream.Append(Now.ToUnixTimeMilliseconds(), line);
                EmulatorLog.JobOutput(_logger, launch.JobId, line);
            });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            EmulatorLog.ProcessStartFailed(_logger, ex, launch.JobId);
            Mutate(() =>
            {
                if (job.Generation == generation && job.Status == JobStatus.Starting)
                {
                    FailToStart(job, "CannotStartContainerError: " + ex.Message, Now);
                }

                return 0;
            });
            return;
        }

        EmulatorLog.ProcessStarted(_logger, launch.JobId, job.Attempt, process.Id, launch.Executable, string.Join(' ', launch.Arguments));
        Mutate(() =>
        {
            _liveProcesses.Add(process);
            _processesStarted++;
            job.ProcessIds.Add(process.Id);
            if (process.ProcessGroupId is { } group)
            {
                job.ProcessGroupIds.Add(group);
            }

            if (_shuttingDown || job.Generation != generation || job.Status != JobStatus.Starting)
            {
                // Terminated (or the emulator stopped) while the process was being started.
                Effect(process.Kill);
            }
            else
            {
                job.Process = process;
                EnterRunning(job, Now);
            }

            return 0;
        });

        _ = process.Exited.ContinueWith(_ => OnProcessExitedAsync(job, process), TaskScheduler.Default).Unwrap();
    }

    private async Task OnProcessExitedAsync(EmulatedJob job, JobProcess process)
    {
        // The container ends with its main process: take down whatever else it started, then read the rest of its output.
        process.KillGroup();
        await process.DrainOutputAsync(OutputDrainTimeout).ConfigureAwait(false);
        var exitCode = process.ExitCode;
        EmulatorLog.ProcessExited(_logger, job.JobId, process.Id, exitCode);
        Mutate(() =>
        {
            _liveProcesses.Remove(process);
            if (job.Process == process)
            {
                job.Process = null;
                CompleteAttempt(job, exitCode, Now);
            }

            return 0;
        });
        process.Dispose();
    }

    /// <summary>The container of the current attempt exited: succeed, retry (as <c>retryStrategy</c> says), or fail.</summary>
    private void CompleteAttempt(EmulatedJob job, int? exitCode, DateTimeOffset now)
    {
        job.ExitCode = exitCode;
        if (job.StopReason is not null)
        {
            // TerminateJob, CancelJob or the attempt timeout: never retried.
            RecordAttempt(job, now, exitCode);
            Finish(job, JobStatus.Failed, job.StopReason, now);
            return;
        }

        // An instance taken away fails the attempt whatever its container did on the way out.
        var statusReason = job.HostTerminatedReason ?? EssentialContainerExited;
        if (exitCode == 0 && job.HostTerminatedReason is null)
        {
            RecordAttempt(job, now, exitCode, statusReason);
            Finish(job, JobStatus.Succeeded, statusReason, now);
            return;
        }

        RecordAttempt(job, now, exitCode, statusReason);
        if (job.Attempt < job.Spec.MaxAttempts && RetryCondition.ShouldRetry(job.Spec.RetryConditions, statusReason, job.ContainerReason, exitCode))
        {
            // Back to RUNNABLE for a new attempt: same job id, a new container (and, on Batch, maybe a new instance).
            job.Attempt++;
            job.StartedAt = null;
            job.LogStreamName = null;
            job.TaskArn = null;
            job.ExitCode = null;
            job.HostTerminatedReason = null;
            job.SpotInstanceAction = null;
            SetStatus(job, JobStatus.Runnable, now);
            Schedule(job, TimerKind.Advance, TransitionDelay(job.Queue), now);
            return;
        }

        Finish(job, JobStatus.Failed, statusReason, now);
    }

    // ---- Spot ----

    /// <summary>
    /// Serves a Spot interruption notice to a running job's instance metadata (<c>spot/instance-action</c>), as EC2
    /// does two minutes before it reclaims the instance; <paramref name="reclaimAfter"/> then reclaims it.
    /// </summary>
    public bool GiveSpotNotice(EmulatedJob job, TimeSpan? reclaimAfter)
    {
        if (job.Status != JobStatus.Running)
        {
            return false;
        }

        var now = Now;
        var time = now + (reclaimAfter ?? TimeSpan.FromMinutes(2));
        job.SpotInstanceAction = $"{{\"action\":\"terminate\",\"time\":\"{time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\"}}";
        if (reclaimAfter is { } delay)
        {
            Schedule(job, TimerKind.Reclaim, delay, now);
        }

        return true;
    }

    /// <summary>
    /// Takes a running job's instance away, as a Spot reclamation or an instance failure does: the container gets
    /// SIGTERM, then SIGKILL after the grace period, and the attempt ends with <c>Host EC2 (instance i-…) terminated.</c>,
    /// which the job's retry strategy evaluates like any other failed attempt.
    /// </summary>
    public bool Reclaim(EmulatedJob job)
    {
        if (job.Status != JobStatus.Running || job.HostTerminatedReason is not null || job.StopReason is not null)
        {
            return false;
        }

        var now = Now;
        var instance = "i-" + Guid.NewGuid().ToString("N")[..17];
        job.HostTerminatedReason = $"Host EC2 (instance {instance}) terminated.";
        if (job.Process is not { } process)
        {
            CompleteAttempt(job, exitCode: null, now);
            return true;
        }

        SigtermThenKill(job, process, job.HostTerminatedReason, now);
        return true;
    }

    private static void RecordAttempt(EmulatedJob job, DateTimeOffset now, int? exitCode, string? statusReason = null)
    {
        if (job.LogStreamName is null && job.StartedAt is null && exitCode is null && job.ContainerReason is null)
        {
            return; // never got as far as a container
        }

        job.Attempts.Add(new AttemptRecord(job.StartedAt, now, exitCode, job.ContainerReason, job.LogStreamName, job.TaskArn, statusReason ?? job.StopReason));
    }

    private void Finish(EmulatedJob job, JobStatus status, string? statusReason, DateTimeOffset now)
    {
        if (job.IsQueuedForDispatch)
        {
            job.IsQueuedForDispatch = false;
        }

        job.Queue.Blocked.Remove(job);
        job.StatusReason = statusReason;
        job.StoppedAt = now;
        SetStatus(job, status, now);
    }

    private void SetStatus(EmulatedJob job, JobStatus status, DateTimeOffset now)
    {
        var old = job.Status;
        if (old == status)
        {
            return;
        }

        job.Status = status;
        job.Generation++;
        EmulatorLog.JobStatusChanged(_logger, job.JobId, old.ToWire(), status.ToWire(), job.StatusReason);
        if (!job.IsArrayParent)
        {
            if (old.IsActive())
            {
                job.Queue.ActiveCount--;
                job.Queue.ActiveVcpus -= job.Spec.RequiredVcpus;
            }

            if (status.IsActive())
            {
                job.Queue.ActiveCount++;
                job.Queue.ActiveVcpus += job.Spec.RequiredVcpus;
            }
        }

        if (job.Parent is { } parent)
        {
            var counts = parent.ChildStatusCounts!;
            counts[(int)old]--;
            counts[(int)status]++;
            parent.StatusSummaryUpdatedAt = now;
            OnChildStatusChanged(parent, counts, now);
        }

        if (old.IsActive() && !status.IsActive() && !job.IsArrayParent)
        {
            Dispatch(job.Queue, now);
        }
    }

    /// <summary>
    /// An array parent follows its children: PENDING once one is RUNNABLE, and when all are done SUCCEEDED if
    /// every child succeeded, else FAILED.
    /// </summary>
    private void OnChildStatusChanged(EmulatedJob parent, int[] counts, DateTimeOffset now)
    {
        if (parent.Status.IsTerminal())
        {
            return;
        }

        var done = counts[(int)JobStatus.Succeeded] + counts[(int)JobStatus.Failed];
        if (done == parent.ArraySize)
        {
            var failed = counts[(int)JobStatus.Failed] > 0;
            Finish(parent, failed ? JobStatus.Failed : JobStatus.Succeeded, failed ? parent.StopReason : null, now);
            return;
        }

        if (parent.Status == JobStatus.Submitted && counts[(int)JobStatus.Pending] + counts[(int)JobStatus.Submitted] < parent.ArraySize)
        {
            SetStatus(parent, JobStatus.Pending, now);
        }
    }

    // ---- timers and effects ----

    private void Schedule(EmulatedJob job, TimerKind kind, TimeSpan delay, DateTimeOffset now)
    {
        var due = (now + delay).UtcTicks;
        _timers.Enqueue(new TimerEntry(job, job.Generation, kind), due);
        if (_timers.TryPeek(out _, out var earliest) && earliest == due)
        {
            _wake.TrySetResult();
        }
    }

    private void Effect(Action effect) => _effects.Add(effect);

    private void RunEffects()
    {
        while (true)
        {
            Action[] batch;
            lock (_sync)
            {
                if (_effects.Count == 0)
                {
                    return;
                }

                batch = [.. _effects];
                _effects.Clear();
            }

            foreach (var effect in batch)
            {
                try
                {
                    effect();
                }
                catch (Exception ex)
                {
                    EmulatorLog.EffectFailed(_logger, ex);
                }
            }
        }
    }

    private async Task RunTimerLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task wake;
            TimeSpan? wait;
            lock (_sync)
            {
                var now = Now;
                while (_timers.TryPeek(out var entry, out var due) && due <= now.UtcTicks)
                {
                    _timers.Dequeue();
                    try
                    {
                        Fire(entry, now);
                    }
                    catch (Exception ex)
                    {
                        EmulatorLog.EffectFailed(_logger, ex);
                    }
                }

                wait = _timers.TryPeek(out _, out var next) ? TimeSpan.FromTicks(next - now.UtcTicks) : null;
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
            }

            RunEffects();
            using var waitCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait ?? Timeout.InfiniteTimeSpan, _time, waitCancellation.Token);

            // A test clock can jump between reading it and arming the delay (which is relative), leaving the delay
            // late: with any clock but the system's, also look again after a short real-time interval.
            await (ReferenceEquals(_time, TimeProvider.System)
                ? Task.WhenAny(wake, delay)
                : Task.WhenAny(wake, delay, Task.Delay(TestClockRecheck, waitCancellation.Token))).ConfigureAwait(false);
            await waitCancellation.CancelAsync().ConfigureAwait(false);
        }
    }

    // ---- shutdown ----

    /// <summary>Stops the timers and kills every process the emulator started; waits until they are gone.</summary>
    /// <remarks>
    /// Every caller waits for the same shutdown: the host may stop twice at once (its console lifetime and a watched
    /// process that ended), and the second caller must not return before the processes are gone.
    /// </remarks>
    public ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            _disposal ??= DisposeCoreAsync();
            return new ValueTask(_disposal);
        }
    }

    private async Task DisposeCoreAsync()
    {
        JobProcess[] processes;
        lock (_sync)
        {
            _shuttingDown = true;
            processes = [.. _liveProcesses];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _timerLoop.ConfigureAwait(false);
        RunEffects();

        EmulatorLog.KillingAllProcesses(_logger, processes.Length);
        foreach (var process in processes)
        {
            process.Kill();
        }

        var deadline = Stopwatch.StartNew();
        foreach (var process in processes)
        {
            var left = TimeSpan.FromSeconds(10) - deadline.Elapsed;
            await process.Exited.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            process.KillGroup();
        }

        // A container whose engine process was killed mid-start may still exist: remove every one of ours.
        _containers?.RemoveAll();

        _stopping.Dispose();
        if (_ownsWorkRoot)
        {
            try
            {
                Directory.Delete(_workRoot, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a process we could not kill may still hold a file
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
