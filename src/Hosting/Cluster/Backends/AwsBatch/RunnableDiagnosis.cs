using System.Globalization;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Cluster.Preflight;

namespace Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;

/// <summary>
/// Why silos sit in RUNNABLE: Batch's blocked-job reasons, and what Batch does not say (a compute environment at its
/// maxvCpus, and whose jobs fill it; a compute environment that turned INVALID or DISABLED; a queue that was disabled).
/// One line per distinct cause, with the fix.
/// </summary>
internal static class RunnableDiagnosis
{
    public static async Task<IReadOnlyList<string>> DiagnoseAsync(IAwsBatchClient client, string queueName, IReadOnlyList<SiloBackendStatus> statuses, CancellationToken cancellationToken)
    {
        var waiting = statuses.Where(s => s.State == SiloBackendState.Runnable).ToList();
        if (waiting.Count == 0)
        {
            return [];
        }

        var lines = new List<string>();
        foreach (var group in waiting.Where(s => !string.IsNullOrEmpty(s.Reason)).GroupBy(s => s.Reason!))
        {
            lines.Add($"{Silos(group.Count())} in RUNNABLE: {group.Key}; {FixFor(group.Key)}");
        }

        var queue = await BatchPreflight.DescribeQueueAsync(client, queueName, cancellationToken).ConfigureAwait(false);
        if (queue is null)
        {
            lines.Add($"job queue {queueName} no longer exists: the silos will never start; stop with Ctrl+C");
            return lines;
        }

        if (queue.State != JobQueueState.Enabled)
        {
            lines.Add($"job queue {queue.JobQueueName} was disabled: aws batch update-job-queue --job-queue {queue.JobQueueName} --state ENABLED");
        }
        else if (queue.Status is JobQueueStatus.Invalid)
        {
            lines.Add($"job queue {queue.JobQueueName} turned INVALID: {queue.StatusReason ?? "no reason given"}");
        }

        var environments = await BatchPreflight.DescribeEnvironmentsAsync(client, queue, cancellationToken).ConfigureAwait(false);
        var ours = statuses.Count(s => s.State is SiloBackendState.Starting or SiloBackendState.Running);
        foreach (var environment in environments)
        {
            if (environment.Status == ComputeEnvironmentStatus.Invalid)
            {
                lines.Add($"compute environment {environment.ComputeEnvironmentName} is INVALID: {environment.StatusReason ?? "no reason given"}; repair it (its service role, subnets, launch template) or add a valid one to {queue.JobQueueName}");
            }
            else if (environment.State == ComputeEnvironmentState.Disabled)
            {
                lines.Add($"compute environment {environment.ComputeEnvironmentName} is DISABLED: aws batch update-compute-environment --compute-environment {environment.ComputeEnvironmentName} --state ENABLED");
            }
            else if (environment.ComputeResources is { } resources && resources.DesiredvCpus >= resources.MaxvCpus)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"compute environment {environment.ComputeEnvironmentName} is at its maxvCpus ({resources.MaxvCpus}): {Silos(waiting.Count)} for capacity while {ours} of ours run there{(ours == 0 ? ", so other jobs fill it" : string.Empty)}; raise maxvCpus or wait for those jobs to end"));
            }
        }

        if (lines.Count == 0)
        {
            lines.Add($"{Silos(waiting.Count)} in RUNNABLE with no reason from Batch and room in the compute environments: instances are probably still starting (scaling up takes a few minutes)");
        }

        return lines;
    }

    /// <summary>The fix for Batch's documented blocked-job reasons.</summary>
    private static string FixFor(string reason) => reason switch
    {
        _ when reason.StartsWith("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", StringComparison.Ordinal) => "no compute environment of the queue can give one silo's vCPUs, memory or GPUs: lower --vcpus/--memory/--gpus or add larger instance types",
        _ when reason.StartsWith("MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", StringComparison.Ordinal) => "the compute environment's maxvCpus is too small for one silo: raise it",
        _ when reason.StartsWith("MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS", StringComparison.Ordinal) => "Batch's service role lacks permissions: fix the role of the compute environment",
        _ when reason.StartsWith("MISCONFIGURATION:EC2_", StringComparison.Ordinal) => "the compute environment cannot launch instances: check its launch template, AMI and instance role",
        _ when reason.StartsWith("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", StringComparison.Ordinal) => "EC2 has no capacity for the allowed instance types in the subnets' zones: allow more instance types or subnets, or wait",
        _ => "see the AWS Batch console for this job",
    };

    private static string Silos(int count) => count == 1 ? "1 silo waits" : $"{count.ToString(CultureInfo.InvariantCulture)} silos wait";
}
