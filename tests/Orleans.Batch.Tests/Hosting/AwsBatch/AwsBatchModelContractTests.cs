using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>The client's JSON model checked against the vendored AWS Batch API model (service-2.json, examples-1.json).</summary>
public sealed class AwsBatchModelContractTests
{
    private static readonly AwsBatchJsonContext Json = AwsBatchJsonContext.Default;

    private static readonly (string Operation, Type Type)[] RequestTypes =
    [
        ("SubmitJob", typeof(SubmitJobRequest)),
        ("DescribeJobs", typeof(DescribeJobsRequest)),
        ("TerminateJob", typeof(TerminateJobRequest)),
        ("CancelJob", typeof(CancelJobRequest)),
        ("ListJobs", typeof(ListJobsRequest)),
        ("DescribeComputeEnvironments", typeof(DescribeComputeEnvironmentsRequest)),
        ("DescribeJobQueues", typeof(DescribeJobQueuesRequest)),
        ("DescribeJobDefinitions", typeof(DescribeJobDefinitionsRequest)),
        ("RegisterJobDefinition", typeof(RegisterJobDefinitionRequest)),
    ];

    private static readonly (string Operation, Type Type)[] ResponseTypes =
    [
        ("SubmitJob", typeof(SubmitJobResponse)),
        ("DescribeJobs", typeof(DescribeJobsResponse)),
        ("ListJobs", typeof(ListJobsResponse)),
        ("DescribeComputeEnvironments", typeof(DescribeComputeEnvironmentsResponse)),
        ("DescribeJobQueues", typeof(DescribeJobQueuesResponse)),
        ("DescribeJobDefinitions", typeof(DescribeJobDefinitionsResponse)),
        ("RegisterJobDefinition", typeof(RegisterJobDefinitionResponse)),
    ];

    public static TheoryData<string, Type> Requests => new(RequestTypes);

    public static TheoryData<string, Type> Responses => new(ResponseTypes);

    [Theory]
    [MemberData(nameof(Requests))]
    public void Every_request_member_exists_in_the_operation_input_shape_with_a_matching_type(string operation, Type requestType)
    {
        var problems = new List<string>();
        Conform(Json.GetTypeInfo(requestType)!, AwsBatchReferenceModel.InputShapeOf(operation), operation, problems, checkRequired: true);
        problems.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void Every_response_member_exists_in_the_operation_output_shape_with_a_matching_type(string operation, Type responseType)
    {
        var problems = new List<string>();
        Conform(Json.GetTypeInfo(responseType)!, AwsBatchReferenceModel.OutputShapeOf(operation), operation, problems, checkRequired: false);
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Operations_are_rest_json_posts_to_v1_and_the_operation_in_lower_case()
    {
        foreach (var (operation, _) in RequestTypes)
        {
            var http = AwsBatchReferenceModel.Operations.GetProperty(operation).GetProperty("http");
            http.GetProperty("method").GetString().ShouldBe("POST");
            http.GetProperty("requestUri").GetString().ShouldBe("/v1/" + operation.ToLowerInvariant());
        }
    }

    [Fact]
    public void Fully_populated_requests_serialize_to_members_of_the_model_only()
    {
        var requests = new (string Operation, object Request)[]
        {
            ("SubmitJob", SampleRequests.FullSubmitJob()),
            ("ListJobs", SampleRequests.FullListJobs()),
            ("RegisterJobDefinition", SampleRequests.FullRegisterJobDefinition()),
            ("DescribeJobs", new DescribeJobsRequest { Jobs = ["a", "b:1"] }),
            ("TerminateJob", new TerminateJobRequest { JobId = "a", Reason = "r" }),
            ("CancelJob", new CancelJobRequest { JobId = "a", Reason = "r" }),
            ("DescribeJobQueues", new DescribeJobQueuesRequest { JobQueues = ["q"], MaxResults = 10, NextToken = "t" }),
            ("DescribeJobDefinitions", new DescribeJobDefinitionsRequest { JobDefinitions = ["d:1"], JobDefinitionName = "d", Status = "ACTIVE", MaxResults = 10, NextToken = "t" }),
        };

        foreach (var (operation, request) in requests)
        {
            var json = JsonSerializer.SerializeToElement(request, Json.GetTypeInfo(request.GetType())!);
            var problems = new List<string>();
            ConformJson(json, AwsBatchReferenceModel.InputShapeOf(operation), operation, problems);
            problems.ShouldBeEmpty();
        }

        // Every member of the full SubmitJob the brief asks for is actually on the wire.
        var submit = JsonNode.Parse(JsonSerializer.Serialize(SampleRequests.FullSubmitJob(), Json.SubmitJobRequest))!;
        submit["arrayProperties"]!["size"]!.GetValue<int>().ShouldBe(4);
        submit["containerOverrides"]!["resourceRequirements"]!.AsArray().Select(r => (string?)r!["type"]).ShouldBe(["VCPU", "MEMORY", "GPU"]);
        submit["containerOverrides"]!["environment"]![0]!["name"]!.GetValue<string>().ShouldBe("OrleansBatch__ClusterId");
        submit["timeout"]!["attemptDurationSeconds"]!.GetValue<int>().ShouldBe(3600);
        submit["retryStrategy"]!["evaluateOnExit"]![0]!["action"]!.GetValue<string>().ShouldBe("EXIT");
        submit["propagateTags"]!.GetValue<bool>().ShouldBeTrue();
        submit["tags"]!["app"]!.GetValue<string>().ShouldBe("orleans-batch");
        submit["parameters"]!["p"]!.GetValue<string>().ShouldBe("v");
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Required_members_of_the_input_shape_are_sent_when_only_they_are_set(string operation, Type requestType)
    {
        var minimal = SampleRequests.Minimal(requestType);
        var json = JsonSerializer.SerializeToElement(minimal, Json.GetTypeInfo(requestType)!);
        var shape = AwsBatchReferenceModel.Shape(AwsBatchReferenceModel.InputShapeOf(operation));
        foreach (var required in Required(shape))
        {
            json.TryGetProperty(required, out _).ShouldBeTrue($"{operation} must send required member '{required}'");
        }

        // Nothing beyond the required members goes out when nothing else is set (absent, not null).
        json.EnumerateObject().Select(p => p.Name).ShouldBe(Required(shape), ignoreOrder: true);
    }

    [Fact]
    public void Every_example_of_the_modelled_operations_deserializes_and_round_trips_what_the_client_models()
    {
        var checkedExamples = 0;
        foreach (var (operation, requestType) in RequestTypes)
        {
            var responseType = ResponseTypes.Where(row => row.Operation == operation).Select(row => row.Type).SingleOrDefault();
            foreach (var example in AwsBatchReferenceModel.Examples(operation))
            {
                // Inputs: every member of the examples is modelled, so the round trip is exact.
                var input = example.GetProperty("input");
                var request = JsonSerializer.Deserialize(input.GetRawText(), Json.GetTypeInfo(requestType)!)!;
                JsonNode.DeepEquals(JsonSerializer.SerializeToNode(request, Json.GetTypeInfo(requestType)!), JsonNode.Parse(input.GetRawText()))
                    .ShouldBeTrue($"{operation} example input {input}");

                // Outputs: what the client models comes back unchanged (it ignores members it does not model).
                var output = example.GetProperty("output");
                if (responseType is null)
                {
                    output.EnumerateObject().ShouldBeEmpty($"{operation} has no modelled output");
                }
                else
                {
                    var response = JsonSerializer.Deserialize(output.GetRawText(), Json.GetTypeInfo(responseType)!)!;
                    AssertSubset(JsonSerializer.SerializeToNode(response, Json.GetTypeInfo(responseType)!)!, JsonNode.Parse(output.GetRawText())!, operation);
                }

                checkedExamples++;
            }
        }

        checkedExamples.ShouldBe(11, "examples-1.json has 11 examples of the nine operations");
    }

    [Fact]
    public void The_DescribeJobs_example_reads_status_container_and_epoch_millisecond_timestamps()
    {
        var output = AwsBatchReferenceModel.Examples("DescribeJobs").Single().GetProperty("output").GetRawText();
        var job = JsonSerializer.Deserialize(output, Json.DescribeJobsResponse)!.Jobs.ShouldHaveSingleItem();

        job.JobId.ShouldBe("24fa2d7a-64c4-49d2-8b47-f8da4fbde8e9");
        job.Status.ShouldBe(JobStatus.Succeeded);
        job.CreatedAt.ShouldBe(new DateTimeOffset(2016, 11, 29, 23, 6, 22, 10, TimeSpan.Zero));
        job.StartedAt.ShouldBe(new DateTimeOffset(2016, 11, 29, 23, 6, 56, 500, TimeSpan.Zero));
        job.StoppedAt.ShouldBe(new DateTimeOffset(2016, 11, 29, 23, 8, 0, 699, TimeSpan.Zero));
        job.Container!.ExitCode.ShouldBe(0);
        job.Container.Command.ShouldBe(["sleep", "60"]);
        job.Container.Environment.ShouldBeEmpty();
    }

    [Fact]
    public void Enum_values_the_client_does_not_know_read_as_Unknown_and_Unknown_is_never_sent()
    {
        var json = """{"jobs":[{"jobName":"n","jobId":"i","jobQueue":"q","status":"HIBERNATING","jobDefinition":"d"}]}""";
        JsonSerializer.Deserialize(json, Json.DescribeJobsResponse)!.Jobs.Single().Status.ShouldBe(JobStatus.Unknown);

        Should.Throw<JsonException>(() => JsonSerializer.Serialize(new ListJobsRequest { JobQueue = "q", JobStatus = JobStatus.Unknown }, Json.ListJobsRequest))
            .Message.ShouldContain("JobStatus.Unknown");
    }

    [Fact]
    public void Every_enum_lists_exactly_the_values_of_its_model_shape()
    {
        var enums = new (Type Type, string Shape)[]
        {
            (typeof(JobStatus), "JobStatus"),
            (typeof(ResourceType), "ResourceType"),
            (typeof(RetryAction), "RetryAction"),
            (typeof(JobQueueState), "JQState"),
            (typeof(JobQueueStatus), "JQStatus"),
            (typeof(LogDriver), "LogDriver"),
            (typeof(JobDefinitionType), "JobDefinitionType"),
            (typeof(PlatformCapability), "PlatformCapability"),
        };
        foreach (var (type, shape) in enums)
        {
            WireNames(type).ShouldBe(AwsBatchReferenceModel.Shape(shape).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!), ignoreOrder: true, customMessage: type.Name);
        }
    }

    private static void Conform(JsonTypeInfo typeInfo, string shapeName, string path, List<string> problems, bool checkRequired)
    {
        var shape = AwsBatchReferenceModel.Shape(shapeName);
        var clrType = Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type;
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                if (typeInfo.Kind != JsonTypeInfoKind.Object)
                {
                    problems.Add($"{path}: {clrType.Name} is not an object but shape {shapeName} is a structure");
                    return;
                }

                var members = shape.GetProperty("members");
                foreach (var property in typeInfo.Properties)
                {
                    if (!members.TryGetProperty(property.Name, out var member))
                    {
                        problems.Add($"{path}.{property.Name}: not a member of shape {shapeName}");
                        continue;
                    }

                    var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                    Conform(Json.GetTypeInfo(propertyType)!, member.GetProperty("shape").GetString()!, $"{path}.{property.Name}", problems, checkRequired);
                }

                if (checkRequired)
                {
                    foreach (var required in Required(shape))
                    {
                        var property = typeInfo.Properties.SingleOrDefault(p => p.Name == required);
                        if (property is null || !property.IsRequired)
                        {
                            problems.Add($"{path}.{required}: required by shape {shapeName} but not a C# required member");
                        }
                    }
                }

                break;
            case "list":
                if (typeInfo.Kind != JsonTypeInfoKind.Enumerable)
                {
                    problems.Add($"{path}: {clrType.Name} is not a list");
                    return;
                }

                Conform(Json.GetTypeInfo(typeInfo.ElementType!)!, shape.GetProperty("member").GetProperty("shape").GetString()!, path + "[]", problems, checkRequired);
                break;
            case "map":
                if (typeInfo.Kind != JsonTypeInfoKind.Dictionary || typeInfo.KeyType != typeof(string))
                {
                    problems.Add($"{path}: {clrType.Name} is not a string-keyed map");
                    return;
                }

                Conform(Json.GetTypeInfo(typeInfo.ElementType!)!, shape.GetProperty("value").GetProperty("shape").GetString()!, path + "{}", problems, checkRequired);
                break;
            case "string" when shape.TryGetProperty("enum", out var values):
                if (!clrType.IsEnum)
                {
                    problems.Add($"{path}: shape {shapeName} is an enum but {clrType.Name} is not");
                }
                else if (WireNames(clrType).Except(values.EnumerateArray().Select(v => v.GetString()!)).ToList() is { Count: > 0 } extra)
                {
                    problems.Add($"{path}: {clrType.Name} has values not in shape {shapeName}: {string.Join(", ", extra)}");
                }

                break;
            case "string":
                Expect(clrType == typeof(string), path, clrType, shapeName, problems);
                break;
            case "integer":
                Expect(clrType == typeof(int), path, clrType, shapeName, problems);
                break;
            case "long":
                // Timestamps are longs (epoch milliseconds) in this model.
                Expect(clrType == typeof(long) || clrType == typeof(DateTimeOffset), path, clrType, shapeName, problems);
                break;
            case "boolean":
                Expect(clrType == typeof(bool), path, clrType, shapeName, problems);
                break;
            case var other:
                problems.Add($"{path}: shape {shapeName} has type {other}, which the client does not model");
                break;
        }
    }

    private static void ConformJson(JsonElement value, string shapeName, string path, List<string> problems)
    {
        var shape = AwsBatchReferenceModel.Shape(shapeName);
        var kind = shape.GetProperty("type").GetString();
        var expected = kind switch
        {
            "structure" or "map" => JsonValueKind.Object,
            "list" => JsonValueKind.Array,
            "string" => JsonValueKind.String,
            "integer" or "long" => JsonValueKind.Number,
            _ => JsonValueKind.Undefined,
        };
        if (kind == "boolean" ? value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) : value.ValueKind != expected)
        {
            problems.Add($"{path}: {value.ValueKind} where shape {shapeName} is a {kind}");
            return;
        }

        switch (kind)
        {
            case "structure":
                foreach (var property in value.EnumerateObject())
                {
                    if (!shape.GetProperty("members").TryGetProperty(property.Name, out var member))
                    {
                        problems.Add($"{path}.{property.Name}: not a member of shape {shapeName}");
                        continue;
                    }

                    ConformJson(property.Value, member.GetProperty("shape").GetString()!, $"{path}.{property.Name}", problems);
                }

                foreach (var required in Required(shape).Where(r => !value.TryGetProperty(r, out _)))
                {
                    problems.Add($"{path}.{required}: required by shape {shapeName} but not sent");
                }

                break;
            case "list":
                foreach (var item in value.EnumerateArray())
                {
                    ConformJson(item, shape.GetProperty("member").GetProperty("shape").GetString()!, path + "[]", problems);
                }

                break;
            case "map":
                foreach (var property in value.EnumerateObject())
                {
                    ConformJson(property.Value, shape.GetProperty("value").GetProperty("shape").GetString()!, $"{path}{{{property.Name}}}", problems);
                }

                break;
            case "string" when shape.TryGetProperty("enum", out var values):
                if (!values.EnumerateArray().Any(v => v.GetString() == value.GetString()))
                {
                    problems.Add($"{path}: '{value.GetString()}' is not a value of enum shape {shapeName}");
                }

                break;
        }
    }

    private static void AssertSubset(JsonNode modelled, JsonNode original, string path)
    {
        if (modelled is JsonObject modelledObject)
        {
            foreach (var (name, value) in modelledObject)
            {
                original.AsObject().TryGetPropertyValue(name, out var originalValue).ShouldBeTrue($"{path}.{name} is emitted but not in the example");
                AssertSubset(value!, originalValue!, $"{path}.{name}");
            }
        }
        else if (modelled is JsonArray modelledArray)
        {
            var originalArray = original.AsArray();
            modelledArray.Count.ShouldBe(originalArray.Count, path);
            for (var i = 0; i < modelledArray.Count; i++)
            {
                AssertSubset(modelledArray[i]!, originalArray[i]!, $"{path}[{i}]");
            }
        }
        else
        {
            JsonNode.DeepEquals(modelled, original).ShouldBeTrue($"{path}: {modelled.ToJsonString()} != {original.ToJsonString()}");
        }
    }

    private static void Expect(bool ok, string path, Type clrType, string shapeName, List<string> problems)
    {
        if (!ok)
        {
            problems.Add($"{path}: {clrType.Name} does not match shape {shapeName}");
        }
    }

    private static IEnumerable<string> Required(JsonElement shape)
        => shape.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!) : [];

    private static IEnumerable<string> WireNames(Type enumType)
        => enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name)
            .OfType<string>();
}
