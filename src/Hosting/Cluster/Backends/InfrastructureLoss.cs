using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Silo;

namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>
/// Which silo losses are the infrastructure's and are replaced (up to the cluster's budget), and which are the
/// workload's and are not retried in a loop.
/// </summary>
internal static class InfrastructureLoss
{
    /// <summary>How Batch words a job whose instance went away (Spot reclamation, instance failure).</summary>
    public const string HostTerminatedPrefix = "Host EC2";

    /// <summary>A local silo process that ended with <paramref name="exitCode"/> without being asked to stop.</summary>
    public static bool IsReplaceableExit(int exitCode) => exitCode is SiloExitCodes.Interrupted or SiloExitCodes.Killed;

    /// <summary>True when a silo's end looks like its infrastructure's doing (an exit code or a Batch reason that says so).</summary>
    public static bool LooksReplaceable(SiloBackendStatus? status) =>
        status is not null && ((status.ExitCode is { } code && IsReplaceableExit(code))
            || (status.Reason?.StartsWith(HostTerminatedPrefix, StringComparison.Ordinal) ?? false));

    /// <summary>
    /// Batch's retry strategy for silo jobs: a job whose host went away (<c>Host EC2 (instance …) terminated.</c>)
    /// or whose silo left on a Spot interruption notice (exit code 75) is tried again; anything else (the user's
    /// code failed, the image cannot be pulled, the job was terminated) is not. Batch retries a job that no
    /// condition matches, so the last condition matches everything.
    /// </summary>
    public static RetryStrategy BatchRetryStrategy(int attempts) => new()
    {
        Attempts = attempts,
        EvaluateOnExit = attempts <= 1 ? null :
        [
            new EvaluateOnExit { OnStatusReason = HostTerminatedPrefix + "*", Action = RetryAction.Retry },
            new EvaluateOnExit { OnExitCode = SiloExitCodes.Interrupted.ToString(System.Globalization.CultureInfo.InvariantCulture), Action = RetryAction.Retry },
            new EvaluateOnExit { OnReason = "*", Action = RetryAction.Exit },
        ],
    };
}
