using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Jobs;
using Orleans.Batch.BatchEmulator.Queues;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>Maps jobs and queues to the response shapes of service-2.json. Call under the engine lock.</summary>
internal static class JobShapes
{
    public static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? Millis(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static JobDetailShape Detail(EmulatedJob job)
    {
        var spec = job.Spec;
        var definition = spec.Definition;
        return new JobDetailShape
        {
            JobArn = job.JobArn,
            JobName = job.JobName,
            JobId = job.JobId,
            JobQueue = job.Queue.Arn,
            Status = job.Status.ToWire(),
            Attempts = job.Attempts.Select(Attempt).ToList(),
            StatusReason = job.StatusReason,
            CreatedAt = Millis(job.CreatedAt),
            RetryStrategy = spec.RetryStrategy,
            StartedAt = Millis(job.StartedAt),
            StoppedAt = Millis(job.StoppedAt),
            DependsOn = [],
            JobDefinition = definition.Arn,
            Parameters = spec.Parameters ?? [],
            Container = new ContainerDetailShape
            {
                Image = spec.Image,
                Vcpus = spec.Vcpus,
                Memory = spec.Memory,
                Command = [.. spec.Command],
                JobRoleArn = definition.Container.JobRoleArn,
                ExecutionRoleArn = definition.Container.ExecutionRoleArn,
                Environment = [.. spec.Environment],
                ResourceRequirements = [.. spec.ResourceRequirements],
                ExitCode = job.ExitCode,
                Reason = job.ContainerReason,
                TaskArn = job.TaskArn,
                LogStreamName = job.LogStreamName,
            },
            ArrayProperties = ArrayDetail(job),
            Timeout = spec.AttemptDurationSeconds is { } seconds ? new JobTimeoutShape { AttemptDurationSeconds = seconds } : null,
            Tags = spec.Tags,
            PropagateTags = spec.PropagateTags,
            PlatformCapabilities = definition.PlatformCapabilities ?? ["EC2"],
            IsCancelled = job.IsCancelled,
            IsTerminated = job.IsTerminated,
        };
    }

    public static JobSummaryShape Summary(EmulatedJob job) => new()
    {
        JobArn = job.JobArn,
        JobId = job.JobId,
        JobName = job.JobName,
        CreatedAt = Millis(job.CreatedAt),
        Status = job.Status.ToWire(),
        StatusReason = job.StatusReason,
        StartedAt = Millis(job.StartedAt),
        StoppedAt = Millis(job.StoppedAt),
        Container = job.ExitCode is not null || job.ContainerReason is not null
            ? new ContainerSummaryShape { ExitCode = job.ExitCode, Reason = job.ContainerReason }
            : null,
        ArrayProperties = job.IsArrayParent
            ? new ArrayPropertiesSummaryShape { Size = job.ArraySize, StatusSummary = StatusSummary(job), StatusSummaryLastUpdatedAt = Millis(job.StatusSummaryUpdatedAt) }
            : job.ArrayIndex is { } index ? new ArrayPropertiesSummaryShape { Index = index } : null,
        JobDefinition = job.Spec.Definition.Arn,
    };

    public static JobQueueDetailShape Queue(EmulatedQueue queue) => new()
    {
        JobQueueName = queue.Name,
        JobQueueArn = queue.Arn,
        State = queue.Enabled ? "ENABLED" : "DISABLED",
        Status = queue.Status,
        StatusReason = queue.StatusReason ?? (queue.Status == "VALID" ? "JobQueue Healthy" : null),
        Priority = queue.Priority,
        ComputeEnvironmentOrder = [new ComputeEnvironmentOrderShape { Order = 1, ComputeEnvironment = queue.ComputeEnvironmentArn }],
        JobQueueType = "ECS",
        Tags = [],
        JobStateTimeLimitActions = queue.StateTimeLimitActions.Count > 0 ? [.. queue.StateTimeLimitActions] : null,
    };

    public static ComputeEnvironmentDetailShape ComputeEnvironment(EmulatedQueue queue) => new()
    {
        ComputeEnvironmentName = queue.ComputeEnvironmentName,
        ComputeEnvironmentArn = queue.ComputeEnvironmentArn,
        Type = "MANAGED",
        State = queue.ComputeEnvironmentState,
        Status = queue.ComputeEnvironmentStatus,
        StatusReason = queue.ComputeEnvironmentStatusReason ?? (queue.ComputeEnvironmentStatus == "VALID" ? "ComputeEnvironment Healthy" : null),
        ComputeResources = new ComputeResourceShape
        {
            Type = queue.ComputeResourceType,
            MaxvCpus = queue.ComputeEnvironmentMaxvCpus ?? EmulatedQueue.UnlimitedVcpus,
            MinvCpus = 0,
            DesiredvCpus = (int)Math.Ceiling(queue.ActiveVcpus),
            InstanceTypes = queue.ComputeResourceType is "FARGATE" or "FARGATE_SPOT" ? null : [.. queue.InstanceTypes],
        },
        ContainerOrchestrationType = "ECS",
    };

    private static ArrayPropertiesDetailShape? ArrayDetail(EmulatedJob job)
    {
        if (job.IsArrayParent)
        {
            return new ArrayPropertiesDetailShape
            {
                Size = job.ArraySize,
                StatusSummary = StatusSummary(job),
                StatusSummaryLastUpdatedAt = Millis(job.StatusSummaryUpdatedAt),
            };
        }

        return job.ArrayIndex is { } index ? new ArrayPropertiesDetailShape { Index = index } : null;
    }

    private static Dictionary<string, int> StatusSummary(EmulatedJob parent)
    {
        var summary = new Dictionary<string, int>(StringComparer.Ordinal);
        if (parent.ChildStatusCounts is { } counts)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                summary[((JobStatus)i).ToWire()] = counts[i];
            }
        }

        return summary;
    }

    private static AttemptDetailShape Attempt(AttemptRecord attempt) => new()
    {
        Container = new AttemptContainerDetailShape
        {
            TaskArn = attempt.TaskArn,
            ExitCode = attempt.ExitCode,
            Reason = attempt.ContainerReason,
            LogStreamName = attempt.LogStreamName,
        },
        StartedAt = Millis(attempt.StartedAt),
        StoppedAt = Millis(attempt.StoppedAt),
        StatusReason = attempt.StatusReason,
    };
}
