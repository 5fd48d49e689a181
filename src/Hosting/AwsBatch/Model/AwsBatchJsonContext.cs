using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// Source-generated System.Text.Json metadata for the AWS Batch wire format: camelCase members, absent members
/// omitted, timestamps as epoch milliseconds and enums as their wire strings.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochMillisecondsConverter)])]
[JsonSerializable(typeof(SubmitJobRequest))]
[JsonSerializable(typeof(SubmitJobResponse))]
[JsonSerializable(typeof(DescribeJobsRequest))]
[JsonSerializable(typeof(DescribeJobsResponse))]
[JsonSerializable(typeof(TerminateJobRequest))]
[JsonSerializable(typeof(CancelJobRequest))]
[JsonSerializable(typeof(ListJobsRequest))]
[JsonSerializable(typeof(ListJobsResponse))]
[JsonSerializable(typeof(DescribeComputeEnvironmentsRequest))]
[JsonSerializable(typeof(DescribeComputeEnvironmentsResponse))]
[JsonSerializable(typeof(DescribeJobQueuesRequest))]
[JsonSerializable(typeof(DescribeJobQueuesResponse))]
[JsonSerializable(typeof(DescribeJobDefinitionsRequest))]
[JsonSerializable(typeof(DescribeJobDefinitionsResponse))]
[JsonSerializable(typeof(RegisterJobDefinitionRequest))]
[JsonSerializable(typeof(RegisterJobDefinitionResponse))]
internal sealed partial class AwsBatchJsonContext : JsonSerializerContext;
