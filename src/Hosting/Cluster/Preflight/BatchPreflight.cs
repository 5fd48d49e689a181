using System.Globalization;
using System.Text.RegularExpressions;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Cluster.Preflight;

/// <summary>What a launch on AWS Batch is about to ask for.</summary>
internal sealed record PreflightRequest(string Queue, string JobDefinition, int Silos, double? Vcpus, int? MemoryMiB, int? Gpus);

/// <summary>
/// One round of read-only calls before anything is submitted (DescribeJobQueues, DescribeComputeEnvironments,
/// DescribeJobDefinitions, and one page of ListJobs): finds what makes silos wait in RUNNABLE forever or fail at
/// once, and what deserves a line without blocking. Each finding names the resource and the fix.
/// </summary>
internal static partial class BatchPreflight
{
    /// <summary>Fargate's valid vCPU and memory (MiB) combinations: for each vCPU size, the memory range and step.</summary>
    private static readonly (double Vcpus, int Min, int Max, int Step)[] FargateSizes =
    [
        (0.25, 512, 2048, 512), (0.5, 1024, 4096, 1024), (1, 2048, 8192, 1024), (2, 4096, 16384, 1024),
        (4, 8192, 30720, 1024), (8, 16384, 61440, 4096), (16, 32768, 122880, 8192),
    ];

    public static async Task<PreflightReport> RunAsync(IAwsBatchClient client, PreflightRequest request, CancellationToken cancellationToken)
    {
        var checks = new List<PreflightCheck>();
        var queue = await DescribeQueueAsync(client, request.Queue, cancellationToken).ConfigureAwait(false);
        var definition = await DescribeDefinitionAsync(client, request.JobDefinition, cancellationToken).ConfigureAwait(false);
        checks.Add(CheckQueue(request.Queue, queue));
        checks.Add(CheckDefinition(request.JobDefinition, definition));
        if (queue is null)
        {
            return new PreflightReport(checks);
        }

        var environments = await DescribeEnvironmentsAsync(client, queue, cancellationToken).ConfigureAwait(false);
        var usable = environments.Where(IsUsable).ToList();
        checks.Add(CheckEnvironments(queue, environments, usable));
        if (usable.Count == 0 || definition is not { Status: "ACTIVE" })
        {
            return new PreflightReport(checks);
        }

        var fargate = (definition.PlatformCapabilities ?? []).Contains(PlatformCapability.Fargate);
        var matching = usable.Where(e => IsFargate(e) == fargate).ToList();
        checks.Add(CheckPlatform(queue, definition, fargate, usable, matching));
        if (matching.Count == 0)
        {
            return new PreflightReport(checks);
        }

        var vcpus = request.Vcpus ?? Requirement(definition, ResourceType.Vcpu) ?? definition.ContainerProperties?.Vcpus ?? 1;
        var memory = request.MemoryMiB ?? (int?)Requirement(definition, ResourceType.Memory) ?? definition.ContainerProperties?.Memory;
        var gpus = request.Gpus ?? (int?)Requirement(definition, ResourceType.Gpu) ?? 0;
        var fit = CheckFit(queue, fargate, matching, vcpus, memory, gpus);
        checks.Add(fit);
        if (fit.Outcome == PreflightOutcome.Failed)
        {
            return new PreflightReport(checks);
        }

        checks.Add(CheckCapacity(queue, matching, request.Silos, vcpus));
        checks.Add(await CheckWaitingAsync(client, queue, cancellationToken).ConfigureAwait(false));
        checks.Add(CheckArchitectures(queue, matching));
        return new PreflightReport(checks) { SiloVcpus = vcpus, SiloMemoryMiB = memory };
    }

    private static PreflightCheck CheckQueue(string name, JobQueueDetail? queue)
    {
        const string Check = "job queue";
        if (queue is null)
        {
            return new(Check, name, PreflightOutcome.Failed,
                $"job queue {InputText.Quote(name)} does not exist in this account and region: create it (deploy/cloudformation/orleans-batch.yaml) or pass the right --queue and --region");
        }

        if (queue.State != JobQueueState.Enabled)
        {
            return new(Check, queue.JobQueueName, PreflightOutcome.Failed,
                $"job queue {queue.JobQueueName} is DISABLED and accepts no jobs: aws batch update-job-queue --job-queue {queue.JobQueueName} --state ENABLED");
        }

        if (queue.Status is JobQueueStatus.Invalid)
        {
            return new(Check, queue.JobQueueName, PreflightOutcome.Failed,
                $"job queue {queue.JobQueueName} is INVALID ({queue.StatusReason ?? "no reason given"}): fix or recreate it");
        }

        return new(Check, queue.JobQueueName, PreflightOutcome.Passed, $"job queue {queue.JobQueueName} is ENABLED and {(queue.Status is { } status ? Wire<JobQueueStatus>(status) : "VALID")}");
    }

    private static PreflightCheck CheckDefinition(string name, JobDefinition? definition)
    {
        const string Check = "job definition";
        if (definition is null)
        {
            return new(Check, name, PreflightOutcome.Failed,
                $"job definition {InputText.Quote(name)} has no ACTIVE revision: register one (deploy/scripts/register-job-definition.sh) or pass the right --definition");
        }

        var id = $"{definition.JobDefinitionName}:{definition.Revision.ToString(CultureInfo.InvariantCulture)}";
        return definition.Status == "ACTIVE"
            ? new(Check, id, PreflightOutcome.Passed, $"job definition {id} is ACTIVE")
            : new(Check, id, PreflightOutcome.Failed, $"job definition {id} is {definition.Status ?? "INACTIVE"}: register a new revision, or pass --definition {definition.JobDefinitionName} for the latest ACTIVE one");
    }

    private static PreflightCheck CheckEnvironments(JobQueueDetail queue, IReadOnlyList<ComputeEnvironmentDetail> environments, List<ComputeEnvironmentDetail> usable)
    {
        const string Check = "compute environments";
        var broken = environments.Except(usable).Select(Describe).ToList();
        if (usable.Count == 0)
        {
            return new(Check, queue.JobQueueName, PreflightOutcome.Failed, environments.Count == 0
                ? $"job queue {queue.JobQueueName} has no compute environment: add one to it"
                : $"job queue {queue.JobQueueName} has no compute environment that is ENABLED and VALID ({string.Join("; ", broken)}): enable or repair one");
        }

        var names = string.Join(", ", usable.Select(e => e.ComputeEnvironmentName));
        return broken.Count == 0
            ? new(Check, queue.JobQueueName, PreflightOutcome.Passed, $"{names}: ENABLED and VALID")
            : new(Check, queue.JobQueueName, PreflightOutcome.Warning, $"{names} can run the silos, but {string.Join("; ", broken)}");
    }

    private static PreflightCheck CheckPlatform(JobQueueDetail queue, JobDefinition definition, bool fargate, List<ComputeEnvironmentDetail> usable, List<ComputeEnvironmentDetail> matching)
    {
        const string Check = "platform";
        var wanted = fargate ? "FARGATE" : "EC2";
        if (matching.Count == 0)
        {
            var types = string.Join(", ", usable.Select(e => $"{e.ComputeEnvironmentName} ({(e.ComputeResources is { } r ? Wire<ComputeResourceType>(r.Type) : Wire(e.Type))})"));
            return new(Check, definition.JobDefinitionName, PreflightOutcome.Failed,
                $"job definition {definition.JobDefinitionName} runs on {wanted}, but the compute environments of {queue.JobQueueName} are {types}: use a queue with {wanted} compute environments or a job definition for theirs");
        }

        return new(Check, definition.JobDefinitionName, PreflightOutcome.Passed, $"{wanted} job definition, {wanted} compute environments");
    }

    private static PreflightCheck CheckFit(JobQueueDetail queue, bool fargate, List<ComputeEnvironmentDetail> matching, double vcpus, int? memory, int gpus)
    {
        const string Check = "silo size";
        var size = $"{FormatVcpus(vcpus)} vCPU{(memory is { } m ? $", {m.ToString(CultureInfo.InvariantCulture)} MiB" : string.Empty)}{(gpus > 0 ? $", {gpus.ToString(CultureInfo.InvariantCulture)} GPU" : string.Empty)}";
        if (fargate)
        {
            if (gpus > 0)
            {
                return new(Check, queue.JobQueueName, PreflightOutcome.Failed, $"one silo asks for {size}, but Fargate has no GPUs: drop --gpus or use an EC2 queue");
            }

            var row = FargateSizes.FirstOrDefault(r => r.Vcpus == vcpus);
            if (row.Step == 0 || memory is not { } mib || mib < row.Min || mib > row.Max || (mib - row.Min) % row.Step != 0)
            {
                return new(Check, queue.JobQueueName, PreflightOutcome.Failed,
                    $"one silo asks for {size}, which is not a Fargate size: vCPU 0.25, 0.5, 1, 2, 4, 8 or 16 with the memory each allows (e.g. 1 vCPU with 2048-8192 MiB in steps of 1024); set --vcpus and --memory");
            }
        }

        var largest = matching.Max(e => e.ComputeResources?.MaxvCpus ?? int.MaxValue);
        if (vcpus > largest)
        {
            return new(Check, queue.JobQueueName, PreflightOutcome.Failed,
                $"one silo asks for {size}, more than any compute environment of {queue.JobQueueName} can give (the largest maxvCpus is {largest.ToString(CultureInfo.InvariantCulture)}): lower --vcpus or raise maxvCpus");
        }

        return new(Check, queue.JobQueueName, PreflightOutcome.Passed, $"one silo: {size}, within maxvCpus {largest.ToString(CultureInfo.InvariantCulture)}");
    }

    private static PreflightCheck CheckCapacity(JobQueueDetail queue, List<ComputeEnvironmentDetail> matching, int silos, double vcpus)
    {
        const string Check = "capacity";
        if (matching.Any(e => e.ComputeResources is null))
        {
            return new(Check, queue.JobQueueName, PreflightOutcome.Passed, "an unmanaged compute environment: capacity is yours to provide");
        }

        var total = matching.Sum(e => (long)e.ComputeResources!.MaxvCpus);
        var atOnce = (int)Math.Min(silos, Math.Floor(total / vcpus));
        return atOnce < silos
            ? new(Check, queue.JobQueueName, PreflightOutcome.Warning,
                $"the compute environments of {queue.JobQueueName} run at most {atOnce.ToString(CultureInfo.InvariantCulture)} of the {silos.ToString(CultureInfo.InvariantCulture)} silos at once (maxvCpus {total.ToString(CultureInfo.InvariantCulture)} in all, {FormatVcpus(vcpus)} per silo): the rest wait in RUNNABLE; raise maxvCpus, or lower --silos or --vcpus")
            : new(Check, queue.JobQueueName, PreflightOutcome.Passed, $"room for all {silos.ToString(CultureInfo.InvariantCulture)} silos at once (maxvCpus {total.ToString(CultureInfo.InvariantCulture)} in all)");
    }

    private static async Task<PreflightCheck> CheckWaitingAsync(IAwsBatchClient client, JobQueueDetail queue, CancellationToken cancellationToken)
    {
        const string Check = "queue backlog";
        var page = await client.ListJobsAsync(new ListJobsRequest { JobQueue = queue.JobQueueArn, JobStatus = JobStatus.Runnable, MaxResults = 100 }, cancellationToken).ConfigureAwait(false);
        var count = page.JobSummaryList.Count;
        var text = count.ToString(CultureInfo.InvariantCulture) + (page.NextToken is null ? string.Empty : "+");
        return count == 0
            ? new(Check, queue.JobQueueName, PreflightOutcome.Passed, $"no job is waiting in {queue.JobQueueName}")
            : new(Check, queue.JobQueueName, PreflightOutcome.Warning, $"{text} job(s) are already waiting in {queue.JobQueueName} ahead of these silos: they may start later");
    }

    private static PreflightCheck CheckArchitectures(JobQueueDetail queue, List<ComputeEnvironmentDetail> matching)
    {
        const string Check = "architecture";
        var byArchitecture = matching
            .Where(e => e.ComputeResources?.InstanceTypes is { Count: > 0 })
            .SelectMany(e => e.ComputeResources!.InstanceTypes!.Select(t => (Environment: e.ComputeEnvironmentName, Type: t, Arm: IsGraviton(t))))
            .Where(t => t.Type != "optimal")
            .ToList();
        var arm = byArchitecture.Where(t => t.Arm).ToList();
        var x86 = byArchitecture.Where(t => !t.Arm).ToList();
        return arm.Count > 0 && x86.Count > 0
            ? new(Check, queue.JobQueueName, PreflightOutcome.Warning,
                $"job queue {queue.JobQueueName} mixes arm64 ({arm[0].Environment}: {arm[0].Type}) and x86-64 ({x86[0].Environment}: {x86[0].Type}) instances: an image built for one fails on the other; build both (deploy/scripts/build-image.sh --platform linux/amd64,linux/arm64)")
            : new(Check, queue.JobQueueName, PreflightOutcome.Passed, arm.Count > 0 ? "arm64 instances only" : x86.Count > 0 ? "x86-64 instances only" : "instance types chosen by Batch");
    }

    /// <summary>The compute environments of a queue, in its order (one DescribeComputeEnvironments call).</summary>
    internal static async Task<IReadOnlyList<ComputeEnvironmentDetail>> DescribeEnvironmentsAsync(IAwsBatchClient client, JobQueueDetail queue, CancellationToken cancellationToken)
    {
        var arns = queue.ComputeEnvironmentOrder.OrderBy(o => o.Order).Select(o => o.ComputeEnvironment).ToList();
        return arns.Count == 0
            ? []
            : (await client.DescribeComputeEnvironmentsAsync(new DescribeComputeEnvironmentsRequest { ComputeEnvironments = arns }, cancellationToken).ConfigureAwait(false)).ComputeEnvironments;
    }

    /// <summary>The queue by name or ARN, or null when it does not exist.</summary>
    internal static async Task<JobQueueDetail?> DescribeQueueAsync(IAwsBatchClient client, string queue, CancellationToken cancellationToken)
    {
        var response = await client.DescribeJobQueuesAsync(new DescribeJobQueuesRequest { JobQueues = [queue] }, cancellationToken).ConfigureAwait(false);
        return response.JobQueues.Count > 0 ? response.JobQueues[0] : null;
    }

    /// <summary>The revision a SubmitJob would use: the one named (name:revision or ARN), else the latest ACTIVE one.</summary>
    private static async Task<JobDefinition?> DescribeDefinitionAsync(IAwsBatchClient client, string definition, CancellationToken cancellationToken)
    {
        var exact = definition.StartsWith("arn:", StringComparison.Ordinal) || RevisionSuffix().IsMatch(definition);
        var request = exact
            ? new DescribeJobDefinitionsRequest { JobDefinitions = [definition] }
            : new DescribeJobDefinitionsRequest { JobDefinitionName = definition, Status = "ACTIVE" };
        var response = await client.DescribeJobDefinitionsAsync(request, cancellationToken).ConfigureAwait(false);
        return response.JobDefinitions.OrderByDescending(d => d.Revision).FirstOrDefault();
    }

    private static bool IsUsable(ComputeEnvironmentDetail environment) =>
        environment.State == ComputeEnvironmentState.Enabled && environment.Status == ComputeEnvironmentStatus.Valid;

    private static bool IsFargate(ComputeEnvironmentDetail environment) =>
        environment.ComputeResources?.Type is ComputeResourceType.Fargate or ComputeResourceType.FargateSpot;

    private static string Describe(ComputeEnvironmentDetail environment) =>
        environment.Status == ComputeEnvironmentStatus.Invalid
            ? $"{environment.ComputeEnvironmentName} is INVALID: {environment.StatusReason ?? "no reason given"}"
            : $"{environment.ComputeEnvironmentName} is {(environment.State == ComputeEnvironmentState.Enabled ? Wire(environment.Status) : Wire(environment.State))}";

    /// <summary>An enum value as the API spells it (ENABLED, FARGATE_SPOT).</summary>
    private static string Wire<T>(T? value) where T : struct, Enum => value is { } v ? AwsEnumConverter<T>.WireName(v) : "unknown";

    private static double? Requirement(JobDefinition definition, ResourceType type) =>
        definition.ContainerProperties?.ResourceRequirements?.FirstOrDefault(r => r.Type == type) is { } requirement
        && double.TryParse(requirement.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string FormatVcpus(double vcpus) => vcpus.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Graviton families: a generation digit, then a <c>g</c> (c6g, m7gd, r8g, x2gd, im4gn), or a1.</summary>
    private static bool IsGraviton(string instanceType) => GravitonFamily().IsMatch(instanceType);

    [GeneratedRegex(@"^([a-z]+\d+g[a-z]*|a1)(\.|$)")]
    private static partial Regex GravitonFamily();

    [GeneratedRegex(@":\d+$")]
    private static partial Regex RevisionSuffix();
}
