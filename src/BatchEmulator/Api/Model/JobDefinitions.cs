using System.Text.Json;

namespace Orleans.Batch.BatchEmulator.Api.Model;

internal sealed class RegisterJobDefinitionRequest
{
    public string? JobDefinitionName { get; set; }

    public string? Type { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }

    public int? SchedulingPriority { get; set; }

    public JsonElement? ContainerProperties { get; set; }

    public JsonElement? NodeProperties { get; set; }

    public RetryStrategyShape? RetryStrategy { get; set; }

    public bool? PropagateTags { get; set; }

    public JobTimeoutShape? Timeout { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public List<string>? PlatformCapabilities { get; set; }

    public JsonElement? EksProperties { get; set; }

    public JsonElement? EcsProperties { get; set; }

    public JsonElement? ConsumableResourceProperties { get; set; }
}

internal sealed class RegisterJobDefinitionResponse
{
    public required string JobDefinitionName { get; set; }

    public required string JobDefinitionArn { get; set; }

    public required int Revision { get; set; }
}

internal sealed class DescribeJobDefinitionsRequest
{
    public List<string>? JobDefinitions { get; set; }

    public int? MaxResults { get; set; }

    public string? JobDefinitionName { get; set; }

    public string? Status { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class DescribeJobDefinitionsResponse
{
    public required List<JobDefinitionShape> JobDefinitions { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class JobDefinitionShape
{
    public required string JobDefinitionName { get; set; }

    public required string JobDefinitionArn { get; set; }

    public required int Revision { get; set; }

    public string? Status { get; set; }

    public required string Type { get; set; }

    public int? SchedulingPriority { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }

    public RetryStrategyShape? RetryStrategy { get; set; }

    public JsonElement? ContainerProperties { get; set; }

    public JobTimeoutShape? Timeout { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public bool? PropagateTags { get; set; }

    public List<string>? PlatformCapabilities { get; set; }

    public string? ContainerOrchestrationType { get; set; }
}
