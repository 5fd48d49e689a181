using System.Text.Json;

namespace Orleans.Batch.BatchEmulator.Api.Model;

// Shapes shared by several Batch operations, named as in service-2.json.

internal sealed class KeyValuePairShape
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

internal sealed class ResourceRequirementShape
{
    public string? Value { get; set; }

    public string? Type { get; set; }
}

internal sealed class ArrayPropertiesShape
{
    public int? Size { get; set; }
}

internal sealed class JobTimeoutShape
{
    public int? AttemptDurationSeconds { get; set; }
}

internal sealed class RetryStrategyShape
{
    public int? Attempts { get; set; }

    public JsonElement? EvaluateOnExit { get; set; }
}

internal sealed class JobDependencyShape
{
    public string? JobId { get; set; }

    public string? Type { get; set; }
}

internal sealed class KeyValuesPairShape
{
    public string? Name { get; set; }

    public List<string>? Values { get; set; }
}

/// <summary>The members of containerProperties the emulator acts on; the rest is kept verbatim.</summary>
internal sealed class ContainerPropertiesShape
{
    public string? Image { get; set; }

    public int? Vcpus { get; set; }

    public int? Memory { get; set; }

    public List<string>? Command { get; set; }

    public string? JobRoleArn { get; set; }

    public string? ExecutionRoleArn { get; set; }

    public List<KeyValuePairShape>? Environment { get; set; }

    public List<ResourceRequirementShape>? ResourceRequirements { get; set; }

    public bool? ReadonlyRootFilesystem { get; set; }

    public string? User { get; set; }
}

internal sealed class ContainerOverridesShape
{
    public int? Vcpus { get; set; }

    public int? Memory { get; set; }

    public List<string>? Command { get; set; }

    public string? InstanceType { get; set; }

    public List<KeyValuePairShape>? Environment { get; set; }

    public List<ResourceRequirementShape>? ResourceRequirements { get; set; }
}

/// <summary>The body of every Batch error: the type travels in the <c>x-amzn-ErrorType</c> header.</summary>
internal sealed class ErrorBody
{
    public string? Message { get; set; }
}

/// <summary>The JSON 1.1 error body (CloudWatch Logs): the type travels in <c>__type</c> too.</summary>
internal sealed class JsonProtocolErrorBody
{
    [System.Text.Json.Serialization.JsonPropertyName("__type")]
    public string? Type { get; set; }

    public string? Message { get; set; }
}

internal sealed class EmptyResponse;
