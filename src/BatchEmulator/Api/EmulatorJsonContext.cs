using System.Text.Json.Serialization;
using Orleans.Batch.BatchEmulator.Admin;
using Orleans.Batch.BatchEmulator.Api.Model;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>Source-generated JSON for every request and response body (camelCase, nulls left out, like AWS).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SubmitJobRequest))]
[JsonSerializable(typeof(SubmitJobResponse))]
[JsonSerializable(typeof(DescribeJobsRequest))]
[JsonSerializable(typeof(DescribeJobsResponse))]
[JsonSerializable(typeof(JobStopRequest))]
[JsonSerializable(typeof(ListJobsRequest))]
[JsonSerializable(typeof(ListJobsResponse))]
[JsonSerializable(typeof(DescribeComputeEnvironmentsRequest))]
[JsonSerializable(typeof(DescribeComputeEnvironmentsResponse))]
[JsonSerializable(typeof(DescribeJobQueuesRequest))]
[JsonSerializable(typeof(DescribeJobQueuesResponse))]
[JsonSerializable(typeof(RegisterJobDefinitionRequest))]
[JsonSerializable(typeof(RegisterJobDefinitionResponse))]
[JsonSerializable(typeof(DescribeJobDefinitionsRequest))]
[JsonSerializable(typeof(DescribeJobDefinitionsResponse))]
[JsonSerializable(typeof(ContainerPropertiesShape))]
[JsonSerializable(typeof(GetLogEventsRequest))]
[JsonSerializable(typeof(GetLogEventsResponse))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonProtocolErrorBody))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(QueueRegistration))]
[JsonSerializable(typeof(QueueInfo))]
[JsonSerializable(typeof(List<QueueInfo>))]
[JsonSerializable(typeof(FaultRegistration))]
[JsonSerializable(typeof(List<FaultRegistration>))]
[JsonSerializable(typeof(EmulatorStats))]
[JsonSerializable(typeof(List<JobInfo>))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
