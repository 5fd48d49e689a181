using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;

/// <summary>
/// Runs each silo as an AWS Batch job: one array job of N children (a single job when N = 1), whose
/// containers run the app's <c>silo</c> role; growing the cluster submits another. Tear-down terminates exactly the jobs this backend submitted:
/// one TerminateJob per array parent (Batch terminates its children).
/// </summary>
internal partial class AwsBatchBackend(IAwsBatchClient client, AwsBatchBackendOptions options, TimeProvider timeProvider, ILogger<AwsBatchBackend> logger) : ISiloBackend, IWaitingSiloDiagnostics
{
    /// <summary>The name of this backend on the command line.</summary>
    public const string BackendName = "aws-batch";

    private readonly Lock _gate = new();
    private readonly List<Submission> _submissions = [];
    private string? _uncertainJobName;
    private string? _clusterId;
    private DateTimeOffset _submittedAfter;

    /// <inheritdoc />
    public string Name => BackendName;

    /// <summary>The first submitted job's id (the array parent for N ≥ 2), once submitted.</summary>
    public string? JobId
    {
        get
        {
            lock (_gate)
            {
                return _submissions.Count > 0 ? _submissions[0].JobId : null;
            }
        }
    }

    /// <summary>Every job this backend submitted: the launch's, then one per growth of the cluster.</summary>
    public IReadOnlyList<string> JobIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _submissions.Select(s => s.JobId)];
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        var request = BuildRequest(spec);
        int firstIndex;
        lock (_gate)
        {
            firstIndex = _submissions.Count == 0 ? 0 : _submissions[^1].FirstIndex + _submissions[^1].Count;
            _clusterId = spec.ClusterId;
            _submittedAfter = timeProvider.GetUtcNow();
        }

        SubmitJobResponse response;
        try
        {
            // Never cancelled half-way: a SubmitJob abandoned in flight may still create a job we would not know
            // to terminate. The client's own timeouts and retries bound it.
            response = await client.SubmitJobAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AwsBatchException exception) when (exception.ErrorCode == AwsBatchErrorCodes.SubmitJobOutcomeUnknown)
        {
            lock (_gate)
            {
                _uncertainJobName = request.JobName;
            }

            throw;
        }

        var submission = new Submission(response.JobId, firstIndex, spec.Count);
        lock (_gate)
        {
            _submissions.Add(submission);
        }

        LogSubmitted(logger, spec.Count, response.JobId, request.JobName, options.JobQueue);
        return [.. submission.SiloJobIds().Select((id, i) => new LaunchedSilo(firstIndex + i, id, id))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken)
    {
        var silos = Silos();
        if (silos.Count == 0)
        {
            return [];
        }

        var jobs = (await client.DescribeJobsAsync([.. silos.Select(s => s.JobId)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(j => j.JobId, StringComparer.Ordinal);
        return [.. silos.Select(silo => jobs.TryGetValue(silo.JobId, out var job)
            ? ToStatus(silo.Index, job)
            : new SiloBackendStatus(silo.Index, SiloBackendState.Submitted, "not created yet"))];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> DiagnoseWaitingAsync(IReadOnlyList<SiloBackendStatus> statuses, CancellationToken cancellationToken) =>
        RunnableDiagnosis.DiagnoseAsync(client, options.JobQueue, statuses, cancellationToken);

    /// <inheritdoc />
    public async Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        foreach (var silo in Silos().Where(s => indexes.Contains(s.Index)))
        {
            // TerminateJob stops the container the way ECS does: SIGTERM, so the silo leaves the cluster gracefully.
            await client.TerminateJobAsync(
                new TerminateJobRequest { JobId = silo.JobId, Reason = "Orleans.Batch: the manager stopped this silo" },
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken force)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<Submission> submissions;
        string? uncertain;
        lock (_gate)
        {
            submissions = [.. _submissions];
            uncertain = _uncertainJobName;
        }

        var outcomes = new List<TeardownOutcome>();
        if (uncertain is not null)
        {
            outcomes.Add(await TerminateUncertainSubmissionAsync(uncertain, [.. submissions.Select(s => s.JobId)]).ConfigureAwait(false));
        }

        if (submissions.Count == 0)
        {
            return outcomes.Count > 0 ? outcomes[0] : new TeardownOutcome(0, 0, "no Batch job was submitted");
        }

        // One TerminateJob per submission, whatever its size: Batch terminates an array job's children with their
        // parent, and cancels jobs that have not started yet. Each is retried and confirmed: the lease and rows stay
        // until Batch says so. A grown cluster's submissions are released together.
        var terminator = new AwsBatchJobTerminator(client, options, timeProvider, logger);
        outcomes.AddRange(await Task.WhenAll(submissions.Select(s => terminator.TerminateAsync(s.JobId, s.SiloJobIds(), request, force))).ConfigureAwait(false));
        return outcomes.Count == 1 ? outcomes[0] : new TeardownOutcome(
            outcomes.Sum(o => o.StoppedGracefully),
            outcomes.Sum(o => o.Killed),
            string.Join("; ", outcomes.Select(o => o.Description)))
        {
            StillRunning = [.. outcomes.SelectMany(o => o.StillRunning)],
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The id of child <paramref name="index"/> of array job <paramref name="parentId"/>.</summary>
    public static string ChildId(string parentId, int index) => $"{parentId}:{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// A valid Batch job name (letters, digits, hyphens, underscores; at most 128): the prefix and the cluster id's
    /// safe name (<see cref="ClusterIdGrammar.ToSafeName"/>), so different clusters get different names.
    /// </summary>
    public static string JobNameFor(string prefix, string clusterId)
    {
        var name = new StringBuilder();
        foreach (var c in prefix)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        name.Append('-').Append(ClusterIdGrammar.ToSafeName(clusterId));
        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            name.Insert(0, 'j');
        }

        return name.Length > 128 ? name.ToString(0, 128) : name.ToString();
    }

    private SubmitJobRequest BuildRequest(SiloLaunchSpec spec)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        var settings = spec.Settings with
        {
            AdvertisedAddress = options.AdvertisedAddress ?? spec.Settings.AdvertisedAddress,
            BatchServiceUrl = options.BatchServiceUrl ?? spec.Settings.BatchServiceUrl,
        };
        foreach (var (key, value) in settings.ToEnvironment())
        {
            environment[key] = value;
        }

        var resources = new List<ResourceRequirement>();
        if (options.Vcpus is { } vcpus)
        {
            resources.Add(ResourceRequirement.ForVcpus(vcpus));
        }

        if (options.MemoryMiB is { } memory)
        {
            resources.Add(ResourceRequirement.ForMemory(memory));
        }

        if (options.Gpus is { } gpus)
        {
            resources.Add(ResourceRequirement.ForGpus(gpus));
        }

        var tags = new Dictionary<string, string>
        {
            [AwsBatchTags.Tool] = AwsBatchTags.ToolValue,
            [AwsBatchTags.ClusterId] = spec.ClusterId,
            [AwsBatchTags.Role] = AwsBatchTags.SiloRole,
        };

        return new SubmitJobRequest
        {
            JobName = JobNameFor(options.JobNamePrefix, spec.ClusterId),
            JobQueue = options.JobQueue,
            JobDefinition = options.JobDefinition,
            ArrayProperties = spec.Count >= 2 ? new ArrayProperties { Size = spec.Count } : null,
            ContainerOverrides = new ContainerOverrides
            {
                Command = options.SiloCommand,
                Environment = [.. environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new EnvironmentVariable(e.Key, e.Value))],
                ResourceRequirements = resources.Count > 0 ? resources : null,
            },
            Timeout = new JobTimeout { AttemptDurationSeconds = (int)Math.Max(60, Math.Ceiling(options.MaxRuntime.TotalSeconds)) },
            // Silos lost to their infrastructure (Spot, an instance failure) are retried by Batch itself, keeping their job
            // id and so their silo name; the manager holds the cluster-wide budget (see InfrastructureLoss).
            RetryStrategy = InfrastructureLoss.BatchRetryStrategy(spec.Replacements?.AttemptsPerSilo ?? 1),
            PropagateTags = true,
            Tags = tags,
        };
    }

    private async Task<TeardownOutcome> TerminateUncertainSubmissionAsync(string jobName, IReadOnlyCollection<string> known)
    {
        // SubmitJob's answer was lost and the client could not tell whether the job exists. Look for it by its
        // exact, cluster-unique name, and terminate only what also carries this cluster's tag (and is not a
        // submission this backend knows, which is terminated on its own).
        var terminated = 0;
        await foreach (var summary in client.ListAllJobsAsync(
            new ListJobsRequest { JobQueue = options.JobQueue, Filters = [ListJobsFilter.ForJobName(jobName)] },
            CancellationToken.None).ConfigureAwait(false))
        {
            if ((summary.CreatedAt is { } created && created < _submittedAfter.AddMinutes(-1)) || known.Contains(summary.JobId))
            {
                continue;
            }

            var details = await client.DescribeJobsAsync([summary.JobId], CancellationToken.None).ConfigureAwait(false);
            var detail = details.Count > 0 ? details[0] : null;
            if (detail?.Tags is { } tags && tags.TryGetValue(AwsBatchTags.ClusterId, out var cluster) && cluster == _clusterId)
            {
                await client.TerminateJobAsync(new TerminateJobRequest { JobId = summary.JobId, Reason = "Orleans.Batch manager tear-down" }, CancellationToken.None).ConfigureAwait(false);
                terminated++;
            }
        }

        return new TeardownOutcome(0, terminated, terminated == 0
            ? $"SubmitJob's outcome was unknown; no job named {jobName} was found"
            : $"SubmitJob's outcome was unknown; terminated {terminated} job(s) named {jobName}");
    }

    private List<(int Index, string JobId)> Silos()
    {
        lock (_gate)
        {
            return [.. _submissions.SelectMany(s => s.SiloJobIds().Select((id, i) => (s.FirstIndex + i, id)))];
        }
    }

    private static SiloBackendStatus ToStatus(int index, JobDetail job)
    {
        var state = job.Status switch
        {
            JobStatus.Pending => SiloBackendState.Pending,
            JobStatus.Runnable => SiloBackendState.Runnable,
            JobStatus.Starting => SiloBackendState.Starting,
            JobStatus.Running => SiloBackendState.Running,
            JobStatus.Succeeded => SiloBackendState.Succeeded,
            JobStatus.Failed => SiloBackendState.Failed,
            _ => SiloBackendState.Submitted,
        };

        var reason = new List<string>();
        if (!string.IsNullOrWhiteSpace(job.StatusReason))
        {
            reason.Add(job.StatusReason);
        }

        if (job.Container?.Reason is { Length: > 0 } containerReason && containerReason != job.StatusReason)
        {
            reason.Add(containerReason);
        }

        if (job.Container?.ExitCode is { } exitCode && state.IsTerminal())
        {
            reason.Add($"exit code {exitCode.ToString(CultureInfo.InvariantCulture)}");
        }

        var logStream = job.Container?.LogStreamName is { Length: > 0 } stream ? $"CloudWatch Logs stream {stream}" : null;

        // A job Batch is trying again: its finished attempts are listed; the current one is the next.
        var finished = job.Attempts ?? [];
        var attempt = state.IsTerminal() ? Math.Max(1, finished.Count) : finished.Count + 1;
        var previous = state.IsTerminal() ? (finished.Count >= 2 ? finished[^2] : null) : (finished.Count >= 1 ? finished[^1] : null);
        return new SiloBackendStatus(index, state, reason.Count > 0 ? string.Join("; ", reason) : null, job.Container?.ExitCode, logStream)
        {
            Attempt = attempt,
            PreviousAttemptReason = previous is null ? null : DescribeAttempt(previous),
        };
    }

    private static string DescribeAttempt(AttemptDetail attempt)
    {
        var parts = new List<string>();
        if (attempt.StatusReason is { Length: > 0 } statusReason)
        {
            parts.Add(statusReason);
        }

        if (attempt.Container?.Reason is { Length: > 0 } reason && reason != attempt.StatusReason)
        {
            parts.Add(reason);
        }

        if (attempt.Container?.ExitCode is { } exitCode)
        {
            parts.Add($"exit code {exitCode.ToString(CultureInfo.InvariantCulture)}");
        }

        return parts.Count > 0 ? string.Join("; ", parts) : "ended";
    }

    /// <summary>One SubmitJob: an array job of <paramref name="Count"/> children (a single job for one silo).</summary>
    private sealed record Submission(string JobId, int FirstIndex, int Count)
    {
        public IReadOnlyList<string> SiloJobIds() =>
            Count == 1 ? [JobId] : [.. Enumerable.Range(0, Count).Select(i => ChildId(JobId, i))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted {Count} silo job(s) as {JobId} ({JobName}) to queue {Queue}")]
    private static partial void LogSubmitted(ILogger logger, int count, string jobId, string jobName, string queue);
}
