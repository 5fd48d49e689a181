using System.Globalization;
using System.Text.Json;
using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Definitions;
using Orleans.Batch.BatchEmulator.Jobs;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>The Batch operations: validation with Batch's error behaviour, then the engine under its lock.</summary>
internal sealed class BatchService(JobEngine engine)
{
    private const int MaxDescribeJobs = 100;
    private const int MinArraySize = 2;
    private const int MaxArraySize = 10_000;

    public SubmitJobResponse SubmitJob(SubmitJobRequest request)
    {
        var jobName = Required(request.JobName, "jobName");
        var queueReference = Required(request.JobQueue, "jobQueue");
        var definitionReference = Required(request.JobDefinition, "jobDefinition");
        if (!JobSpecBuilder.NamePattern().IsMatch(jobName))
        {
            throw AwsServiceException.Client(
                $"Job name '{jobName}' is invalid: up to 128 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed, and it must start with a letter or number.");
        }

        int? arraySize = null;
        if (request.ArrayProperties is { } arrayProperties)
        {
            if (arrayProperties.Size is not { } size || size < MinArraySize || size > MaxArraySize)
            {
                throw AwsServiceException.Client(
                    $"arrayProperties.size must be between {MinArraySize} and {MaxArraySize} (got {arrayProperties.Size?.ToString(CultureInfo.InvariantCulture) ?? "none"}).");
            }

            arraySize = size;
        }

        if (request.DependsOn is { Count: > 0 })
        {
            throw Unsupported("dependsOn");
        }

        if (IsPresent(request.NodeOverrides) || IsPresent(request.EksPropertiesOverride) || IsPresent(request.EcsPropertiesOverride))
        {
            throw Unsupported("nodeOverrides, eksPropertiesOverride and ecsPropertiesOverride");
        }

        return engine.Mutate(() =>
        {
            var queue = engine.FindQueue(queueReference) ?? throw AwsServiceException.Client($"JobQueue {queueReference} not found.");
            if (!queue.Enabled)
            {
                throw AwsServiceException.Client($"Job queue {queue.Arn} is not in ENABLED state: it cannot accept new jobs.");
            }

            var definition = engine.Definitions.Resolve(definitionReference) ?? throw DefinitionNotFound(definitionReference);
            var spec = JobSpecBuilder.Build(request, definition, engine.Options.MinimumTimeoutSeconds);
            var job = engine.Submit(queue, spec, jobName, arraySize);
            return new SubmitJobResponse { JobArn = job.JobArn, JobName = job.JobName, JobId = job.JobId };
        });
    }

    public DescribeJobsResponse DescribeJobs(DescribeJobsRequest request)
    {
        var ids = request.Jobs ?? throw AwsServiceException.Client("jobs is required.");
        if (ids.Count > MaxDescribeJobs)
        {
            throw AwsServiceException.Client($"A maximum of {MaxDescribeJobs} jobs can be described at a time (got {ids.Count}).");
        }

        // Unknown ids are left out, as Batch does.
        return engine.Read(() => new DescribeJobsResponse
        {
            Jobs = ids.Select(engine.FindJob).OfType<EmulatedJob>().Select(JobShapes.Detail).ToList(),
        });
    }

    public EmptyResponse TerminateJob(JobStopRequest request)
    {
        var (jobId, reason) = StopArguments(request);
        engine.Mutate(() =>
        {
            // Batch answers 200 for an unknown job id, and so do we.
            if (engine.FindJob(jobId) is { } job)
            {
                engine.Terminate(job, reason);
            }

            return 0;
        });
        return new EmptyResponse();
    }

    public EmptyResponse CancelJob(JobStopRequest request)
    {
        var (jobId, reason) = StopArguments(request);
        engine.Mutate(() =>
        {
            if (engine.FindJob(jobId) is { } job)
            {
                engine.Cancel(job, reason);
            }

            return 0;
        });
        return new EmptyResponse();
    }

    public ListJobsResponse ListJobs(ListJobsRequest request)
    {
        var selectors = new[] { request.JobQueue, request.ArrayJobId, request.MultiNodeJobId }.Count(s => !string.IsNullOrEmpty(s));
        if (selectors != 1)
        {
            throw AwsServiceException.Client("Exactly one of jobQueue, arrayJobId or multiNodeJobId must be specified.");
        }

        if (!string.IsNullOrEmpty(request.MultiNodeJobId))
        {
            throw Unsupported("multiNodeJobId (multi-node parallel jobs)");
        }

        var filter = request.Filters is { Count: > 0 } filters ? ListJobsFilter.Parse(filters) : null;
        JobStatus? status = null;
        if (filter is null || filter.Name == ListJobsFilter.ShareIdentifier)
        {
            var statusName = request.JobStatus ?? (filter is null ? "RUNNING" : null);
            if (statusName is not null)
            {
                status = JobStatusNames.TryParse(statusName, out var parsed)
                    ? parsed
                    : throw AwsServiceException.Client($"jobStatus '{statusName}' is invalid: it must be one of {JobStatusNames.AllNames}.");
            }
        }

        var limit = request.MaxResults ?? (filter is null ? 1000 : 100);
        if (limit < 1)
        {
            throw AwsServiceException.Client($"maxResults must be at least 1 (got {limit}).");
        }

        limit = Math.Min(limit, filter is null ? 1000 : 100);

        return engine.Read(() =>
        {
            var page = new List<JobSummaryShape>();
            string? nextToken = null;
            if (request.ArrayJobId is { Length: > 0 } arrayJobId)
            {
                // Children in index order; filters do not apply to them.
                var after = PageToken.Decode("a", request.NextToken) ?? -1;
                var children = engine.FindJob(arrayJobId)?.Children ?? [];
                for (var i = (int)Math.Clamp(after + 1, 0, children.Length); i < children.Length; i++)
                {
                    if (status is not null && children[i].Status != status)
                    {
                        continue;
                    }

                    if (page.Count == limit)
                    {
                        nextToken = PageToken.Encode("a", after);
                        break;
                    }

                    page.Add(JobShapes.Summary(children[i]));
                    after = i;
                }
            }
            else
            {
                var queue = engine.FindQueue(request.JobQueue!) ?? throw AwsServiceException.Client($"JobQueue {request.JobQueue} not found.");

                // Newest first, as Batch sorts by createdAt; the token is the sequence of the last job returned.
                var before = PageToken.Decode("q", request.NextToken) ?? long.MaxValue;
                var jobs = queue.Jobs;
                for (var i = LastIndexBefore(jobs, before); i >= 0; i--)
                {
                    var job = jobs[i];
                    if ((status is not null && job.Status != status) || (filter is not null && !filter.Matches(job)))
                    {
                        continue;
                    }

                    if (page.Count == limit)
                    {
                        nextToken = PageToken.Encode("q", before);
                        break;
                    }

                    page.Add(JobShapes.Summary(job));
                    before = job.Sequence;
                }
            }

            return new ListJobsResponse { JobSummaryList = page, NextToken = nextToken };
        });
    }

    public DescribeJobQueuesResponse DescribeJobQueues(DescribeJobQueuesRequest request)
    {
        var limit = PageLimit(request.MaxResults);
        return engine.Read(() =>
        {
            if (request.JobQueues is { Count: > 0 } names)
            {
                return new DescribeJobQueuesResponse
                {
                    JobQueues = names.Select(engine.FindQueue).OfType<Queues.EmulatedQueue>().Distinct().Select(JobShapes.Queue).ToList(),
                };
            }

            var after = PageToken.Decode("jq", request.NextToken) ?? 0;
            var remaining = engine.Queues.Where(q => q.Sequence > after).ToList();
            var page = remaining.Take(limit).ToList();
            return new DescribeJobQueuesResponse
            {
                JobQueues = page.Select(JobShapes.Queue).ToList(),
                NextToken = remaining.Count > page.Count ? PageToken.Encode("jq", page[^1].Sequence) : null,
            };
        });
    }

    public DescribeComputeEnvironmentsResponse DescribeComputeEnvironments(DescribeComputeEnvironmentsRequest request)
    {
        var limit = PageLimit(request.MaxResults);
        return engine.Read(() =>
        {
            // Each queue has its own compute environment; a name shared by several queues is described once.
            var all = engine.Queues.GroupBy(q => q.ComputeEnvironmentArn).Select(g => g.First()).ToList();
            if (request.ComputeEnvironments is { Count: > 0 } names)
            {
                return new DescribeComputeEnvironmentsResponse
                {
                    ComputeEnvironments = all.Where(q => names.Contains(q.ComputeEnvironmentName) || names.Contains(q.ComputeEnvironmentArn)).Select(JobShapes.ComputeEnvironment).ToList(),
                };
            }

            var after = PageToken.Decode("ce", request.NextToken) ?? 0;
            var remaining = all.Where(q => q.Sequence > after).ToList();
            var page = remaining.Take(limit).ToList();
            return new DescribeComputeEnvironmentsResponse
            {
                ComputeEnvironments = page.Select(JobShapes.ComputeEnvironment).ToList(),
                NextToken = remaining.Count > page.Count ? PageToken.Encode("ce", page[^1].Sequence) : null,
            };
        });
    }

    public RegisterJobDefinitionResponse RegisterJobDefinition(RegisterJobDefinitionRequest request)
    {
        var name = Required(request.JobDefinitionName, "jobDefinitionName");
        var type = Required(request.Type, "type");
        if (!JobSpecBuilder.NamePattern().IsMatch(name))
        {
            throw AwsServiceException.Client(
                $"Job definition name '{name}' is invalid: up to 128 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.");
        }

        if (type == "multinode" || IsPresent(request.NodeProperties))
        {
            throw Unsupported("multinode job definitions");
        }

        if (type != "container")
        {
            throw AwsServiceException.Client($"type '{type}' is invalid: it must be container or multinode.");
        }

        if (IsPresent(request.EksProperties) || IsPresent(request.EcsProperties))
        {
            throw Unsupported("eksProperties and ecsProperties");
        }

        if (request.ContainerProperties is not { ValueKind: JsonValueKind.Object } containerJson)
        {
            throw AwsServiceException.Client("containerProperties is required for a job definition of type container.");
        }

        ContainerPropertiesShape container;
        try
        {
            container = containerJson.Deserialize(EmulatorJsonContext.Default.ContainerPropertiesShape)!;
        }
        catch (JsonException ex)
        {
            throw AwsServiceException.Client("containerProperties is malformed: " + ex.Message);
        }

        if (string.IsNullOrEmpty(container.Image))
        {
            throw AwsServiceException.Client("containerProperties.image is required.");
        }

        JobSpecBuilder.CheckEnvironment(container.Environment, "containerProperties.environment");
        var timeout = request.Timeout?.AttemptDurationSeconds;
        if (timeout is { } seconds && seconds < engine.Options.MinimumTimeoutSeconds)
        {
            throw AwsServiceException.Client(
                $"timeout.attemptDurationSeconds must be at least {engine.Options.MinimumTimeoutSeconds} seconds (got {seconds}).");
        }

        return engine.Mutate(() =>
        {
            var definitions = engine.Definitions;
            var revision = definitions.NextRevision(name);
            var definition = new RegisteredJobDefinition
            {
                Name = name,
                Revision = revision,
                Arn = definitions.ArnPrefix + name + ":" + revision.ToString(CultureInfo.InvariantCulture),
                Type = type,
                Sequence = definitions.NextSequence(),
                ContainerPropertiesJson = containerJson.Clone(),
                Container = container,
                Parameters = request.Parameters,
                RetryStrategy = request.RetryStrategy,
                Timeout = request.Timeout,
                Tags = request.Tags,
                PropagateTags = request.PropagateTags,
                PlatformCapabilities = request.PlatformCapabilities,
                SchedulingPriority = request.SchedulingPriority,
            };
            definitions.Add(definition);
            return new RegisterJobDefinitionResponse { JobDefinitionName = name, JobDefinitionArn = definition.Arn, Revision = revision };
        });
    }

    public DescribeJobDefinitionsResponse DescribeJobDefinitions(DescribeJobDefinitionsRequest request)
    {
        if (request.JobDefinitions is { Count: > 0 } references && (request.JobDefinitionName is not null || request.Status is not null))
        {
            throw AwsServiceException.Client("jobDefinitions can't be used with other parameters.");
        }

        if (request.JobDefinitions is { Count: > 100 })
        {
            throw AwsServiceException.Client($"A maximum of 100 job definitions can be described at a time (got {request.JobDefinitions.Count}).");
        }

        var limit = PageLimit(request.MaxResults);
        return engine.Read(() =>
        {
            var definitions = engine.Definitions;
            IEnumerable<RegisteredJobDefinition> matches;
            if (request.JobDefinitions is { Count: > 0 } requested)
            {
                matches = requested
                    .SelectMany(r => r.Contains(':', StringComparison.Ordinal)
                        ? (definitions.Resolve(r) is { } resolved ? [resolved] : [])
                        : definitions.Revisions(r))
                    .Distinct();
            }
            else if (request.JobDefinitionName is { } name)
            {
                matches = definitions.Revisions(name);
            }
            else
            {
                matches = definitions.All();
            }

            // Nothing is ever deregistered, so every revision is ACTIVE.
            if (request.Status is { } status && status != "ACTIVE")
            {
                matches = [];
            }

            var after = PageToken.Decode("jd", request.NextToken) ?? 0;
            var remaining = matches.Where(d => d.Sequence > after).OrderBy(d => d.Sequence).ToList();
            var page = remaining.Take(limit).ToList();
            return new DescribeJobDefinitionsResponse
            {
                JobDefinitions = page.Select(Shape).ToList(),
                NextToken = remaining.Count > page.Count ? PageToken.Encode("jd", page[^1].Sequence) : null,
            };
        });
    }

    private static JobDefinitionShape Shape(RegisteredJobDefinition definition) => new()
    {
        JobDefinitionName = definition.Name,
        JobDefinitionArn = definition.Arn,
        Revision = definition.Revision,
        Status = "ACTIVE",
        Type = definition.Type,
        SchedulingPriority = definition.SchedulingPriority,
        Parameters = definition.Parameters ?? [],
        RetryStrategy = definition.RetryStrategy,
        ContainerProperties = definition.ContainerPropertiesJson,
        Timeout = definition.Timeout,
        Tags = definition.Tags ?? [],
        PropagateTags = definition.PropagateTags,
        PlatformCapabilities = definition.PlatformCapabilities ?? ["EC2"],
        ContainerOrchestrationType = "ECS",
    };

    private static (string JobId, string Reason) StopArguments(JobStopRequest request)
    {
        var jobId = Required(request.JobId, "jobId");
        var reason = Required(request.Reason, "reason");
        if (reason.Length > 1024)
        {
            throw AwsServiceException.Client($"reason can be at most 1024 characters (got {reason.Length}).");
        }

        return (jobId, reason);
    }

    private static int LastIndexBefore(List<EmulatedJob> jobs, long beforeSequence)
    {
        // Jobs are in ascending sequence order: binary search for the last one below the token.
        int low = 0, high = jobs.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (jobs[middle].Sequence < beforeSequence)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private static int PageLimit(int? maxResults) => maxResults switch
    {
        null => 100,
        < 1 or > 100 => throw AwsServiceException.Client($"maxResults must be between 1 and 100 (got {maxResults})."),
        { } value => value,
    };

    private static string Required(string? value, string member) =>
        string.IsNullOrEmpty(value) ? throw AwsServiceException.Client($"{member} is required.") : value;

    private static bool IsPresent(JsonElement? element) => element is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };

    private static AwsServiceException DefinitionNotFound(string reference) =>
        AwsServiceException.Client(reference.Contains(':', StringComparison.Ordinal)
            ? $"JobDefinition {reference} does not exist or is not in ACTIVE status."
            : $"JobDefinition name {reference} does not exist or is not in ACTIVE status.");

    private static AwsServiceException Unsupported(string what) =>
        AwsServiceException.Client($"{what} is not supported by the Batch emulator.");
}
