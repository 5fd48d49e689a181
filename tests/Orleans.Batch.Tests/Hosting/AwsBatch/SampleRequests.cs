using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>Requests with every modelled member set, and with only the required ones.</summary>
internal static class SampleRequests
{
    public static SubmitJobRequest FullSubmitJob() => new()
    {
        JobName = "orleans-batch-0f3a",
        JobQueue = "orleans-batch-queue",
        JobDefinition = "orleans-batch-silo:3",
        ArrayProperties = new ArrayProperties { Size = 4 },
        ContainerOverrides = new ContainerOverrides
        {
            Command = ["silo", "--cluster", "abc"],
            Environment = [new EnvironmentVariable("OrleansBatch__ClusterId", "abc")],
            ResourceRequirements = [ResourceRequirement.ForVcpus(0.5), ResourceRequirement.ForMemory(2048), ResourceRequirement.ForGpus(1)],
        },
        Parameters = new Dictionary<string, string> { ["p"] = "v" },
        RetryStrategy = new RetryStrategy
        {
            Attempts = 2,
            EvaluateOnExit = [new EvaluateOnExit { OnExitCode = "1", OnReason = "*", OnStatusReason = "Host EC2*", Action = RetryAction.Exit }],
        },
        PropagateTags = true,
        Timeout = new JobTimeout { AttemptDurationSeconds = 3600 },
        Tags = new Dictionary<string, string> { ["app"] = "orleans-batch" },
        ShareIdentifier = "share",
        SchedulingPriorityOverride = 10,
    };

    public static ListJobsRequest FullListJobs() => new()
    {
        JobQueue = "q",
        ArrayJobId = "parent",
        JobStatus = JobStatus.Running,
        Filters = [ListJobsFilter.ForJobName("n"), ListJobsFilter.ForJobDefinition("d*"), ListJobsFilter.CreatedAfter(DateTimeOffset.UnixEpoch), ListJobsFilter.CreatedBefore(DateTimeOffset.UnixEpoch.AddDays(1))],
        NextToken = "token",
        MaxResults = 50,
    };

    public static RegisterJobDefinitionRequest FullRegisterJobDefinition() => new()
    {
        JobDefinitionName = "orleans-batch-silo",
        Type = JobDefinitionType.Container,
        ContainerProperties = new ContainerProperties
        {
            Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orleans-batch:1",
            Command = ["silo"],
            Vcpus = 1,
            Memory = 2048,
            ResourceRequirements = [ResourceRequirement.ForVcpus(1), ResourceRequirement.ForMemory(2048)],
            Environment = [new EnvironmentVariable("A", "b")],
            JobRoleArn = "arn:aws:iam::123456789012:role/job",
            ExecutionRoleArn = "arn:aws:iam::123456789012:role/exec",
            LogConfiguration = new LogConfiguration
            {
                LogDriver = LogDriver.AwsLogs,
                Options = new Dictionary<string, string> { ["awslogs-group"] = "/orleans-batch" },
                SecretOptions = [new Secret { Name = "s", ValueFrom = "arn:aws:ssm:eu-west-1:123456789012:parameter/s" }],
            },
        },
        Parameters = new Dictionary<string, string> { ["p"] = "v" },
        RetryStrategy = new RetryStrategy { Attempts = 1 },
        PropagateTags = true,
        Timeout = new JobTimeout { AttemptDurationSeconds = 600 },
        Tags = new Dictionary<string, string> { ["app"] = "orleans-batch" },
        PlatformCapabilities = [PlatformCapability.Ec2],
    };

    public static object Minimal(Type requestType) => requestType.Name switch
    {
        nameof(SubmitJobRequest) => new SubmitJobRequest { JobName = "n", JobQueue = "q", JobDefinition = "d" },
        nameof(DescribeJobsRequest) => new DescribeJobsRequest { Jobs = ["j"] },
        nameof(TerminateJobRequest) => new TerminateJobRequest { JobId = "j", Reason = "r" },
        nameof(CancelJobRequest) => new CancelJobRequest { JobId = "j", Reason = "r" },
        nameof(ListJobsRequest) => new ListJobsRequest(),
        nameof(DescribeJobQueuesRequest) => new DescribeJobQueuesRequest(),
        nameof(DescribeComputeEnvironmentsRequest) => new DescribeComputeEnvironmentsRequest(),
        nameof(DescribeJobDefinitionsRequest) => new DescribeJobDefinitionsRequest(),
        nameof(RegisterJobDefinitionRequest) => new RegisterJobDefinitionRequest { JobDefinitionName = "d", Type = JobDefinitionType.Container },
        _ => throw new ArgumentOutOfRangeException(nameof(requestType), requestType, null),
    };
}
