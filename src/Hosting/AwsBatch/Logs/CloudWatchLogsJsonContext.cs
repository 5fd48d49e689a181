using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>Source-generated metadata for the CloudWatch Logs JSON 1.1 wire format: camelCase, absent members omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetLogEventsRequest))]
[JsonSerializable(typeof(GetLogEventsResponse))]
internal sealed partial class CloudWatchLogsJsonContext : JsonSerializerContext;
