using System.Text.Json;
using Orleans.Batch.BatchEmulator.Api.Model;

namespace Orleans.Batch.BatchEmulator.Definitions;

/// <summary>One revision of a job definition, as registered (immutable).</summary>
internal sealed class RegisteredJobDefinition
{
    public required string Name { get; init; }

    public required int Revision { get; init; }

    public required string Arn { get; init; }

    public required string Type { get; init; }

    public required long Sequence { get; init; }

    /// <summary>containerProperties exactly as registered, echoed by DescribeJobDefinitions.</summary>
    public required JsonElement ContainerPropertiesJson { get; init; }

    /// <summary>The members of containerProperties the emulator acts on.</summary>
    public required ContainerPropertiesShape Container { get; init; }

    public Dictionary<string, string>? Parameters { get; init; }

    public RetryStrategyShape? RetryStrategy { get; init; }

    public JobTimeoutShape? Timeout { get; init; }

    public Dictionary<string, string>? Tags { get; init; }

    public bool? PropagateTags { get; init; }

    public List<string>? PlatformCapabilities { get; init; }

    public int? SchedulingPriority { get; init; }
}
