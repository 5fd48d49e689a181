using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Definitions;

namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>
/// What a submitted job runs: the definition with the submit-time overrides applied. An array parent and its
/// children share one instance.
/// </summary>
internal sealed class JobSpec
{
    public required RegisteredJobDefinition Definition { get; init; }

    public required string Image { get; init; }

    /// <summary>The container command after overrides and <c>Ref::</c> parameter substitution.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The user environment (definition, then overrides); Batch's own variables are added at start.</summary>
    public required IReadOnlyList<KeyValuePairShape> Environment { get; init; }

    public required IReadOnlyList<ResourceRequirementShape> ResourceRequirements { get; init; }

    /// <summary>containerProperties.readonlyRootFilesystem (container mode mounts the image read-only).</summary>
    public bool ReadonlyRootFilesystem { get; init; }

    /// <summary>containerProperties.user; null runs the image's own user.</summary>
    public string? User { get; init; }

    public int? Vcpus { get; init; }

    public int? Memory { get; init; }

    public Dictionary<string, string>? Parameters { get; init; }

    public int? AttemptDurationSeconds { get; init; }

    /// <summary>How many times the job may move to RUNNABLE (retryStrategy.attempts), at least 1.</summary>
    public int MaxAttempts { get; init; } = 1;

    public RetryStrategyShape? RetryStrategy { get; init; }

    /// <summary>retryStrategy.evaluateOnExit, parsed: which failed attempts are retried.</summary>
    public IReadOnlyList<RetryCondition> RetryConditions { get; init; } = [];

    public Dictionary<string, string>? Tags { get; init; }

    public bool? PropagateTags { get; init; }

    public string? ShareIdentifier { get; init; }

    public double RequiredVcpus { get; init; }

    public long RequiredMemoryMiB { get; init; }

    public int RequiredGpus { get; init; }
}
