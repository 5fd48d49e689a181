namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>One finished attempt of a job, as DescribeJobs lists it under <c>attempts</c>.</summary>
internal sealed record AttemptRecord(
    DateTimeOffset? StartedAt,
    DateTimeOffset StoppedAt,
    int? ExitCode,
    string? ContainerReason,
    string? LogStreamName,
    string? TaskArn,
    string? StatusReason);
