using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Hosting.AwsBatch;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// The manager job definitions' default commands are manager command lines the Launcher accepts inside a Batch
/// job, and they launch the silos with the silo job definition (not the manager's own, whose role may not submit
/// it) into the manager's own queue.
/// </summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class ManagerJobCommandTests
{
    [Fact]
    public async Task Manager_job_definition_file_default_command_launches_the_silo_definition()
    {
        var request = JobDefinitionFileTests.Deserialize("manager");
        var command = ManagerCommandLine.SubstituteParameters(request.ContainerProperties!.Command!, request.Parameters!)
            .Select(part => part.Replace("{{SILO_DEFINITION}}", "orleans-batch-silo", StringComparison.Ordinal)
                .Replace("{{TABLE}}", DynamoDBMembershipOptions.DefaultTableName, StringComparison.Ordinal))
            .ToList();

        var settings = await ManagerCommandLine.ParseInsideBatchAsync(command);

        settings.Cluster.Backend.ShouldBe("aws-batch");
        settings.Cluster.JobDefinition.ShouldBe("orleans-batch-silo");
        settings.Cluster.MembershipTable.ShouldBe(DynamoDBMembershipOptions.DefaultTableName);
        settings.Cluster.Queue.ShouldBeNull("inside Batch the manager takes its own queue");
        settings.Cluster.Silos.ShouldBe(4);
        settings.Workload.ShouldBe("demo");
    }

    [Fact]
    public async Task Stack_manager_job_definition_default_command_launches_the_stack_silo_definition_and_table()
    {
        var template = CloudFormationTemplate.Load(DeployFiles.Template);
        var properties = template.Properties("ManagerJobDefinition");
        var parameters = properties["Parameters"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.ToString());
        const string siloDefinitionArn = "arn:aws:batch:us-east-1:123456789012:job-definition/orleans-batch-silo:1";
        var command = properties["ContainerProperties"]!["Command"]!.AsArray().Select(part => CloudFormationTemplate.RefName(part) switch
        {
            "SiloJobDefinition" => siloDefinitionArn,
            "MembershipTable" => "OrleansBatchMembership",
            null => part!.GetValue<string>(),
            var other => throw new ShouldAssertException($"the manager's command refers to {other}; this test knows SiloJobDefinition and MembershipTable"),
        });

        var settings = await ManagerCommandLine.ParseInsideBatchAsync(ManagerCommandLine.SubstituteParameters(command, parameters));

        settings.Cluster.Backend.ShouldBe("aws-batch");
        settings.Cluster.JobDefinition.ShouldBe(siloDefinitionArn);
        settings.Cluster.MembershipTable.ShouldBe("OrleansBatchMembership");
        settings.Cluster.Queue.ShouldBeNull("inside Batch the manager takes its own queue");
        settings.Cluster.Silos.ShouldBe(4);
        settings.Workload.ShouldBe("demo");
    }
}
