using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>deploy/cloudformation/orleans-batch.yaml: what it creates, and that CloudFormation and AWS Batch accept it.</summary>
public sealed partial class CloudFormationTemplateTests
{
    private static readonly Lazy<CloudFormationTemplate> LazyTemplate = new(() => CloudFormationTemplate.Load(DeployFiles.Template));

    private static CloudFormationTemplate Template => LazyTemplate.Value;

    [Fact]
    public void Template_is_YAML_without_anchors_or_aliases_which_CloudFormation_rejects()
    {
        CloudFormationTemplate.AnchorsAndAliases(DeployFiles.Template).ShouldBeEmpty();
        Template.Root["AWSTemplateFormatVersion"]!.GetValue<string>().ShouldBe("2010-09-09");
    }

    [Fact]
    public void Template_declares_exactly_the_resources_the_README_lists_with_their_types()
    {
        var promised = ReadmeTable("### What the stack creates").ToDictionary(row => row[0], row => row[1]);
        var declared = Template.Resources.ToDictionary(r => r.Key, r => r.Value!["Type"]!.GetValue<string>());

        declared.Keys.Order().ShouldBe(promised.Keys.Order());
        foreach (var (logicalId, type) in promised)
        {
            declared[logicalId].ShouldBe(type, $"README's type of {logicalId}");
        }
    }

    [Fact]
    public void Template_declares_exactly_the_outputs_the_README_lists()
    {
        var promised = ReadmeTable("### Outputs").Select(row => row[0]);

        Template.Outputs.Select(o => o.Key).Order().ShouldBe(promised.Order());
    }

    [Fact]
    public void Membership_table_has_the_keys_billing_and_time_to_live_the_DynamoDB_provider_expects()
    {
        var table = Template.Properties("MembershipTable");

        CloudFormationTemplate.RefName(table["TableName"]).ShouldBe("TableName");
        Template.Parameters["TableName"]!["Default"]!.GetValue<string>().ShouldBe(DynamoDBMembershipOptions.DefaultTableName);
        table["BillingMode"]!.GetValue<string>().ShouldBe("PAY_PER_REQUEST");
        Pairs(table["KeySchema"], "AttributeName", "KeyType").ShouldBe(
            [(DynamoDBMembershipSchema.PartitionKey, "HASH"), (DynamoDBMembershipSchema.SortKey, "RANGE")]);
        Pairs(table["AttributeDefinitions"], "AttributeName", "AttributeType").ShouldBe(
            [(DynamoDBMembershipSchema.PartitionKey, "S"), (DynamoDBMembershipSchema.SortKey, "S")], ignoreOrder: true);
        table["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>().ShouldBe(DynamoDBMembershipSchema.ExpiresAt);
        table["TimeToLiveSpecification"]!["Enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Job_definitions_use_only_members_and_values_of_the_Batch_model()
    {
        var definitions = Template.ResourcesOfType("AWS::Batch::JobDefinition");
        definitions.Keys.ShouldBe(["SiloJobDefinition", "ManagerJobDefinition", "FargateSiloJobDefinition"], ignoreOrder: true);

        foreach (var (logicalId, resource) in definitions)
        {
            var converter = new CloudFormationToBatchRequest(Template.Parameters);
            var request = converter.Convert("RegisterJobDefinitionRequest", resource["Properties"], logicalId);

            converter.Problems.ShouldBeEmpty(logicalId);
            AwsServiceModel.Batch.Check("RegisterJobDefinitionRequest", request).ShouldBeEmpty(logicalId);
        }
    }

    [Theory]
    [InlineData("AWS::Batch::ComputeEnvironment", "CreateComputeEnvironmentRequest", "computeEnvironmentName")]
    [InlineData("AWS::Batch::JobQueue", "CreateJobQueueRequest", "jobQueueName")]
    public void Compute_environments_and_job_queues_use_only_members_and_values_of_the_Batch_model(string type, string shape, string generatedName)
    {
        var resources = Template.ResourcesOfType(type);
        resources.Count.ShouldBe(2);

        foreach (var (logicalId, resource) in resources)
        {
            var converter = new CloudFormationToBatchRequest(Template.Parameters);
            var request = converter.Convert(shape, resource["Properties"], logicalId);

            converter.Problems.ShouldBeEmpty(logicalId);
            // CloudFormation generates a name that the template leaves out.
            AwsServiceModel.Batch.Check(shape, request, new HashSet<string> { $"{shape}.{generatedName}" }).ShouldBeEmpty(logicalId);
        }
    }

    [Theory]
    [InlineData("SiloJobDefinition", "SiloJobRole", "EC2", "SiloMaxRuntimeSeconds")]
    [InlineData("ManagerJobDefinition", "ManagerJobRole", "EC2", "ManagerMaxRuntimeSeconds")]
    [InlineData("FargateSiloJobDefinition", "SiloJobRole", "FARGATE", "SiloMaxRuntimeSeconds")]
    public void Job_definition_runs_the_image_with_its_role_logs_to_the_stack_log_group_never_retries_and_times_out(
        string logicalId, string role, string platform, string timeoutParameter)
    {
        var properties = Template.Properties(logicalId);
        var container = properties["ContainerProperties"]!.AsObject();

        JsonNode.DeepEquals(container["Image"], Template.Properties("SiloJobDefinition")["ContainerProperties"]!["Image"]).ShouldBeTrue("every job runs the one Launcher image");
        CloudFormationTemplate.GetAtt(container["JobRoleArn"]).ShouldBe((role, "Arn"));
        CloudFormationTemplate.GetAtt(container["ExecutionRoleArn"]).ShouldBe(("ExecutionRole", "Arn"));
        container["LogConfiguration"]!["LogDriver"]!.GetValue<string>().ShouldBe("awslogs");
        CloudFormationTemplate.RefName(container["LogConfiguration"]!["Options"]!["awslogs-group"]).ShouldBe("LogGroup");
        properties["PlatformCapabilities"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe([platform]);
        properties["RetryStrategy"]!["Attempts"]!.GetValue<long>().ShouldBe(1);
        CloudFormationTemplate.RefName(properties["Timeout"]!["AttemptDurationSeconds"]).ShouldBe(timeoutParameter);
        properties["PropagateTags"]!.GetValue<bool>().ShouldBeTrue();
        properties["Tags"]!["orleans-batch:tool"]!.GetValue<string>().ShouldBe("orleans-batch");
    }

    [Fact]
    public void Manager_outlives_its_silos_by_default()
    {
        Default("ManagerMaxRuntimeSeconds").ShouldBeGreaterThan(Default("SiloMaxRuntimeSeconds"));
    }

    [Fact]
    public void Security_group_lets_its_members_reach_each_other_on_every_TCP_port()
    {
        var rule = Template.Properties("SecurityGroupSelfIngress");

        CloudFormationTemplate.RefName(rule["GroupId"]).ShouldBe("SecurityGroup");
        CloudFormationTemplate.RefName(rule["SourceSecurityGroupId"]).ShouldBe("SecurityGroup");
        rule["IpProtocol"]!.GetValue<string>().ShouldBe("tcp");
        rule["FromPort"]!.GetValue<long>().ShouldBe(0);
        rule["ToPort"]!.GetValue<long>().ShouldBe(65535);
    }

    [Fact]
    public void Compute_environments_run_in_the_given_subnets_with_the_silo_security_group_and_feed_their_queues()
    {
        foreach (var (environment, queue) in new[] { ("ComputeEnvironment", "JobQueue"), ("FargateComputeEnvironment", "FargateJobQueue") })
        {
            var resources = Template.Properties(environment)["ComputeResources"]!;
            CloudFormationTemplate.RefName(resources["Subnets"]).ShouldBe("SubnetIds");
            resources["SecurityGroupIds"]!.AsArray().Select(CloudFormationTemplate.RefName).ShouldBe(["SecurityGroup"]);
            CloudFormationTemplate.RefName(resources["MaxvCpus"]).ShouldBe("MaxvCpus");
            Template.Properties(queue)["ComputeEnvironmentOrder"]!.AsArray()
                .Select(o => CloudFormationTemplate.RefName(o!["ComputeEnvironment"])).ShouldBe([environment]);
        }

        Template.Properties("ComputeEnvironment")["ComputeResources"]!["MinvCpus"]!.GetValue<long>().ShouldBe(0, "an idle stack runs no instance");
    }

    [Fact]
    public void Silo_role_may_use_the_membership_table_and_terminate_only_jobs_this_tool_tagged()
    {
        var statements = PolicyStatements("SiloAccessPolicy").ToDictionary(s => s["Sid"]!.GetValue<string>());

        statements.Keys.ShouldBe(["MembershipTable", "KillSwitch"], ignoreOrder: true);
        // Which actions: LeastPrivilegeTests derives them from the calls the code makes; here, where they apply.
        var statement = statements["MembershipTable"];
        CloudFormationTemplate.GetAtt(statement["Resource"]).ShouldBe(("MembershipTable", "Arn"));
        Actions(statements["KillSwitch"]).ShouldBe(["batch:TerminateJob"]);
        statements["KillSwitch"]["Condition"]!["StringEquals"]!["aws:ResourceTag/orleans-batch:tool"]!.GetValue<string>().ShouldBe("orleans-batch");
        Template.Properties("SiloJobRole")["ManagedPolicyArns"]!.AsArray().Select(CloudFormationTemplate.RefName).ShouldBe(["SiloAccessPolicy"]);
    }

    [Fact]
    public void The_queue_cancels_jobs_blocked_for_Batchs_documented_reasons()
    {
        var actions = Template.Properties("JobQueue")["JobStateTimeLimitActions"]!.AsArray();

        actions.Select(a => a!["Reason"]!.GetValue<string>()).ShouldBe(
            ["MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"]);
        actions.ShouldAllBe(a => a!["State"]!.GetValue<string>() == "RUNNABLE" && a["Action"]!.GetValue<string>() == "CANCEL");
    }

    [Fact]
    public void Manager_role_may_run_silo_jobs_of_this_stack_and_read_and_clean_the_table_and_the_job_logs()
    {
        var statements = PolicyStatements("ManagerAccessPolicy").ToDictionary(s => s["Sid"]!.GetValue<string>());

        // Which actions: LeastPrivilegeTests derives them from the calls the code makes; here, where they apply.
        CloudFormationTemplate.GetAtt(statements["MembershipTable"]["Resource"]).ShouldBe(("MembershipTable", "Arn"));
        Actions(statements["SubmitSilos"]).ShouldBe(["batch:SubmitJob"]);
        var submitResources = statements["SubmitSilos"]["Resource"]!.AsArray().Select(r => r!["Fn::Sub"]!.GetValue<string>()).ToList();
        foreach (var queue in new[] { "JobQueue", "FargateJobQueue" })
        {
            submitResources.ShouldContain($"arn:${{AWS::Partition}}:batch:${{AWS::Region}}:${{AWS::AccountId}}:job-queue/{NameOf(queue, "JobQueueName")}");
        }

        foreach (var definition in new[] { "SiloJobDefinition", "FargateSiloJobDefinition" })
        {
            submitResources.ShouldContain($"arn:${{AWS::Partition}}:batch:${{AWS::Region}}:${{AWS::AccountId}}:job-definition/{NameOf(definition, "JobDefinitionName")}:*");
        }

        submitResources.ShouldNotContain(r => r.Contains(NameOf("ManagerJobDefinition", "JobDefinitionName"), StringComparison.Ordinal), "a manager must not submit managers");
        Actions(statements["TagAndStopJobs"]).ShouldBe(["batch:TagResource", "batch:TerminateJob"], ignoreOrder: true);

        // Batch's Describe and List actions support no resource-level permissions: they need "*".
        Actions(statements["ReadBatch"]).ShouldAllBe(a => a.StartsWith("batch:Describe", StringComparison.Ordinal) || a.StartsWith("batch:List", StringComparison.Ordinal));
        Actions(statements["ReadJobLogs"]).ShouldBe(["logs:GetLogEvents"]);
        CloudFormationTemplate.GetAtt(statements["ReadJobLogs"]["Resource"]).ShouldBe(("LogGroup", "Arn"));
        statements.Keys.ShouldBe(["MembershipTable", "SubmitSilos", "TagAndStopJobs", "ReadBatch", "ReadJobLogs"], ignoreOrder: true);
        Template.Properties("ManagerJobRole")["ManagedPolicyArns"]!.AsArray().Select(CloudFormationTemplate.RefName).ShouldBe(["ManagerAccessPolicy"]);
    }

    [Theory]
    [InlineData("SiloJobRole")]
    [InlineData("ManagerJobRole")]
    [InlineData("ExecutionRole")]
    public void Job_roles_are_assumed_by_ECS_tasks_of_this_account(string role)
    {
        var statement = Template.Properties(role)["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().ShouldHaveSingleItem()!;

        statement["Principal"]!["Service"]!.GetValue<string>().ShouldBe("ecs-tasks.amazonaws.com");
        statement["Action"]!.GetValue<string>().ShouldBe("sts:AssumeRole");
        CloudFormationTemplate.RefName(statement["Condition"]!["StringEquals"]!["aws:SourceAccount"]).ShouldBe("AWS::AccountId");
    }

    [Fact]
    public async Task Template_passes_cfn_lint()
    {
        var cfnLint = ShellScript.Which("cfn-lint")
            ?? throw new ShouldAssertException("cfn-lint is not on PATH: install it with 'pip install cfn-lint' (it checks the template against CloudFormation's resource schemas)");

        var result = await ShellScript.RunAsync(cfnLint, ["--", DeployFiles.Template], timeout: TimeSpan.FromMinutes(3));

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    private static long Default(string parameter) => Template.Parameters[parameter]!["Default"]!.GetValue<long>();

    /// <summary>The <c>${AWS::StackName}...</c> pattern a resource's name property is built from.</summary>
    private static string NameOf(string logicalId, string nameProperty)
    {
        var name = Template.Properties(logicalId)[nameProperty];
        return CloudFormationTemplate.RefName(name) is { } reference
            ? $"${{{reference}}}"
            : name!["Fn::Sub"]!.GetValue<string>();
    }

    private static List<JsonObject> PolicyStatements(string logicalId) =>
        [.. Template.Properties(logicalId)["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject())];

    private static List<string> Actions(JsonObject statement) => statement["Action"] switch
    {
        JsonArray actions => [.. actions.Select(a => a!.GetValue<string>())],
        var action => [action!.GetValue<string>()],
    };

    private static List<(string, string)> Pairs(JsonNode? list, string first, string second) =>
        [.. list!.AsArray().Select(item => (item![first]!.GetValue<string>(), item[second]!.GetValue<string>()))];

    /// <summary>The rows of the first table after <paramref name="heading"/> in deploy/README.md, backticks removed.</summary>
    private static List<string[]> ReadmeTable(string heading)
    {
        var lines = File.ReadAllLines(DeployFiles.Readme);
        var start = Array.IndexOf(lines, heading);
        start.ShouldBeGreaterThanOrEqualTo(0, $"deploy/README.md has no heading '{heading}'");
        var rows = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2)
            .Select(l => l.Trim('|').Split('|').Select(cell => Backticks().Replace(cell.Trim(), "$1")).ToArray())
            .ToList();
        rows.ShouldNotBeEmpty($"no table after '{heading}' in deploy/README.md");
        return rows;
    }

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex Backticks();
}
