using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>deploy/job-definitions/*.json: RegisterJobDefinition requests that our client and AWS Batch both accept.</summary>
public sealed class JobDefinitionFileTests
{
    public static TheoryData<string> Kinds() => [.. DeployFiles.JobDefinitionKinds()];

    [Fact]
    public void The_shipped_job_definitions_are_silo_manager_and_fargate_silo()
    {
        // register-job-definition.sh and deploy/README.md name these kinds.
        DeployFiles.JobDefinitionKinds().ShouldBe(["fargate-silo", "manager", "silo"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Job_definition_file_conforms_to_the_Batch_model(string kind)
    {
        var request = ReadJson(kind);

        AwsServiceModel.Batch.Check("RegisterJobDefinitionRequest", request).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Job_definition_file_round_trips_through_our_client_model_without_losing_a_member(string kind)
    {
        var original = ReadJson(kind);

        var request = JsonSerializer.Deserialize(original.ToJsonString(), AwsBatchJsonContext.Default.RegisterJobDefinitionRequest);
        var written = JsonSerializer.SerializeToNode(request, AwsBatchJsonContext.Default.RegisterJobDefinitionRequest);

        request.ShouldNotBeNull();
        request.Type.ShouldBe(JobDefinitionType.Container);
        JsonNode.DeepEquals(original, written).ShouldBeTrue($"our client's model loses or changes part of {kind}.json:\n{written}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Job_definition_logs_to_CloudWatch_never_retries_times_out_and_is_tagged(string kind)
    {
        var request = Deserialize(kind);
        var container = request.ContainerProperties.ShouldNotBeNull();

        container.Image.ShouldBe("{{IMAGE}}");
        container.JobRoleArn.ShouldBe("{{JOB_ROLE_ARN}}");
        container.ResourceRequirements.ShouldNotBeNull().Select(r => r.Type).ShouldBe([ResourceType.Vcpu, ResourceType.Memory]);
        var logs = container.LogConfiguration.ShouldNotBeNull();
        logs.LogDriver.ShouldBe(LogDriver.AwsLogs);
        logs.Options.ShouldNotBeNull().Keys.ShouldBe(["awslogs-group", "awslogs-region", "awslogs-stream-prefix"], ignoreOrder: true);
        request.RetryStrategy.ShouldNotBeNull().Attempts.ShouldBe(1);
        request.Timeout.ShouldNotBeNull().AttemptDurationSeconds.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(60);
        request.PropagateTags.ShouldBe(true);
        request.Tags.ShouldNotBeNull()["orleans-batch:tool"].ShouldBe("orleans-batch");
        request.Tags["orleans-batch:role"].ShouldBe(kind.EndsWith("silo", StringComparison.Ordinal) ? "silo" : "manager");
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("fargate-silo")]
    public void Silo_definitions_leave_the_command_to_the_manager_which_submits_silo(string kind)
    {
        Deserialize(kind).ContainerProperties!.Command.ShouldBeNull();
    }

    [Fact]
    public void Fargate_silo_definition_runs_on_Fargate_with_an_execution_role()
    {
        var request = Deserialize("fargate-silo");

        request.PlatformCapabilities.ShouldBe([PlatformCapability.Fargate]);
        request.ContainerProperties!.ExecutionRoleArn.ShouldBe("{{EXECUTION_ROLE_ARN}}");
    }

    [Fact]
    public void Silo_and_manager_definitions_run_on_EC2()
    {
        Deserialize("silo").PlatformCapabilities.ShouldBe([PlatformCapability.Ec2]);
        Deserialize("manager").PlatformCapabilities.ShouldBe([PlatformCapability.Ec2]);
    }

    private static JsonNode ReadJson(string kind) => JsonNode.Parse(File.ReadAllText(DeployFiles.JobDefinition(kind)))!;

    internal static RegisterJobDefinitionRequest Deserialize(string kind) =>
        JsonSerializer.Deserialize(File.ReadAllText(DeployFiles.JobDefinition(kind)), AwsBatchJsonContext.Default.RegisterJobDefinitionRequest)!;
}
