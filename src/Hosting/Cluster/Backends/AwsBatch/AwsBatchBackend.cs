using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;

/// <summary>
/// Runs each silo as an AWS Batch job: one array job of N children (a single job when N = 1), whose
/// containers run the Launcher's <c>silo</c> role. Tear-down terminates exactly the job this backend submitted:
/// one TerminateJob for the array parent (Batch terminates its children).
/// </summary>
internal partial class AwsBatchBackend(IAwsBatchClient client, AwsBatchBackendOptions options, TimeProvider timeProvider, ILogger<AwsBatchBackend> logger) : ISiloBackend, IWaitingSiloDiagnostics
{
    /// <summary>The name of this backend on the command line.</summary>
    public const string BackendName = "aws-batch";

    private readonly Lock _gate = new();
    private string? _jobId;
    private int _count;
    private string? _jobName;
    private string? _clusterId;
    private bool _submitOutcomeUnknown;
    private DateTimeOffset _submittedAfter;

    /// <inheritdoc />
    public string Name => BackendName;

    /// <summary>The submitted job's id (the array parent for N ≥ 2), once submitted.</summary>
    public string? JobId => _jobId;

    /// <inheritdoc />
    public async Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        var request = BuildRequest(spec);
        lock (_gate)
        {
            _count = spec.Count;
            _jobName = request.JobName;
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
            _submitOutcomeUnknown = true;
            throw;
        }

        _jobId = response.JobId;
        LogSubmitted(logger, spec.Count, response.JobId, request.JobName, options.JobQueue);
        return spec.Count == 1
            ? [new LaunchedSilo(0, response.JobId, response.JobId)]
            : [.. Enumerable.Range(0, spec.Count).Select(i => new LaunchedSilo(i, ChildId(response.JobId, i), ChildId(response.JobId, i)))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken)
    {
        if (_jobId is not { } jobId)
        {
            return [];
        }

        var ids = SiloJobIds(jobId);
        var jobs = (await client.DescribeJobsAsync(ids, cancellationToken).ConfigureAwait(false))
            .ToDictionary(j => j.JobId, StringComparer.Ordinal);
        return [.. ids.Select((id, index) => jobs.TryGetValue(id, out var job)
            ? ToStatus(index, job)
            : new SiloBackendStatus(index, SiloBackendState.Submitted, "not created yet"))];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> DiagnoseWaitingAsync(IReadOnlyList<SiloBackendStatus> statuses, CancellationToken cancellationToken) =>
        RunnableDiagnosis.DiagnoseAsync(client, options.JobQueue, statuses, cancellationToken);

    /// <inheritdoc />
    public async Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        if (_jobId is not { } jobId)
        {
            return;
        }

        var ids = SiloJobIds(jobId);
        foreach (var index in indexes.Where(i => i >= 0 && i < ids.Count))
        {
            await client.TerminateJobAsync(
                new TerminateJobRequest { JobId = ids[index], Reason = "Orleans.Batch: not needed, the cluster went on without this silo" },
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken force)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_jobId is not { } jobId)
        {
            return _submitOutcomeUnknown
                ? await TerminateUncertainSubmissionAsync().ConfigureAwait(false)
                : new TeardownOutcome(0, 0, "no Batch job was submitted");
        }

        // One TerminateJob, whatever N: Batch terminates an array job's children with their parent, and cancels jobs
        // that have not started yet. It is retried and confirmed: the lease and rows stay until Batch says so.
        return await new AwsBatchJobTerminator(client, options, timeProvider, logger)
            .TerminateAsync(jobId, SiloJobIds(jobId), request, force).ConfigureAwait(false);
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
            RetryStrategy = new RetryStrategy { Attempts = 1 },
            PropagateTags = true,
            Tags = tags,
        };
    }

    private async Task<TeardownOutcome> TerminateUncertainSubmissionAsync()
    {
        // SubmitJob's answer was lost and the client could not tell whether the job exists. Look for it by its
        // exact, cluster-unique name, and terminate only what also carries this cluster's tag.
        var terminated = 0;
        await foreach (var summary in client.ListAllJobsAsync(
            new ListJobsRequest { JobQueue = options.JobQueue, Filters = [ListJobsFilter.ForJobName(_jobName!)] },
            CancellationToken.None).ConfigureAwait(false))
        {
            if (summary.CreatedAt is { } created && created < _submittedAfter.AddMinutes(-1))
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
            ? $"SubmitJob's outcome was unknown; no job named {_jobName} was found"
            : $"SubmitJob's outcome was unknown; terminated {terminated} job(s) named {_jobName}");
    }

    private List<string> SiloJobIds(string jobId) =>
        _count == 1 ? [jobId] : [.. Enumerable.Range(0, _count).Select(i => ChildId(jobId, i))];

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
        return new SiloBackendStatus(index, state, reason.Count > 0 ? string.Join("; ", reason) : null, job.Container?.ExitCode, logStream);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted {Count} silo job(s) as {JobId} ({JobName}) to queue {Queue}")]
    private static partial void LogSubmitted(ILogger logger, int count, string jobId, string jobName, string queue);
}
