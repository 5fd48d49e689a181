using System.Text.Json;

namespace Orleans.Batch.BatchEmulator.Api.Model;

internal sealed class SubmitJobRequest
{
    public string? JobName { get; set; }

    public string? JobQueue { get; set; }

    public string? ShareIdentifier { get; set; }

    public int? SchedulingPriorityOverride { get; set; }

    public ArrayPropertiesShape? ArrayProperties { get; set; }

    public List<JobDependencyShape>? DependsOn { get; set; }

    public string? JobDefinition { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }

    public ContainerOverridesShape? ContainerOverrides { get; set; }

    public JsonElement? NodeOverrides { get; set; }

    public RetryStrategyShape? RetryStrategy { get; set; }

    public bool? PropagateTags { get; set; }

    public JobTimeoutShape? Timeout { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public JsonElement? EksPropertiesOverride { get; set; }

    public JsonElement? EcsPropertiesOverride { get; set; }

    public JsonElement? ConsumableResourcePropertiesOverride { get; set; }
}

internal sealed class SubmitJobResponse
{
    public string? JobArn { get; set; }

    public required string JobName { get; set; }

    public required string JobId { get; set; }
}
