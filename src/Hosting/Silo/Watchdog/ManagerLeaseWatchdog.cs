using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Configuration;

namespace Orleans.Batch.Hosting.Silo.Watchdog;

/// <summary>
/// Stops the silo when its manager has stopped renewing the cluster's lease for longer than the orphan timeout:
/// the manager died without tearing down (killed, lost its host), and nobody else will stop this job.
/// </summary>
/// <remarks>
/// Renewals are compared by counter against this silo's own clock, so clock skew between the manager's host
/// and the silo's cannot cause a false stop. A lease that cannot be read counts as not renewed. The first silo to
/// find the lease expired marks it abandoned (conditional on the renewal counter it saw, so a manager that renewed
/// meanwhile keeps its cluster) and pulls the kill switch: on Batch, one TerminateJob for the cluster's array job,
/// which also cancels the children still waiting to start.
/// </remarks>
internal sealed partial class ManagerLeaseWatchdog(
    IOptions<ManagerLeaseOptions> options,
    IOptions<ClusterOptions> cluster,
    IManagerLeaseStore leases,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ManagerLeaseWatchdog> logger,
    IClusterKillSwitch? killSwitch = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.OrphanTimeout is not { } timeout)
        {
            return;
        }

        var clusterId = cluster.Value.ClusterId;
        long? lastRenewals = null;
        var lastChange = time.GetTimestamp();
        var readFailures = 0;
        using var timer = new PeriodicTimer(options.Value.CheckPeriod ?? ManagerLeaseOptions.CheckPeriodFor(timeout), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var lease = await leases.ReadAsync(clusterId, stoppingToken).ConfigureAwait(false);
                    readFailures = 0;
                    if (lease is { Abandoned: true })
                    {
                        // The manager gave up tearing down (its jobs would not terminate): stop now, not after the timeout.
                        LogAbandoned(logger, clusterId);
                        lifetime.StopApplication();
                        return;
                    }

                    if (lease is not null && lease.Renewals != lastRenewals)
                    {
                        lastRenewals = lease.Renewals;
                        lastChange = time.GetTimestamp();
                        continue;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    if (readFailures++ == 0)
                    {
                        LogReadFailed(logger, exception);
                    }
                }

                var stale = time.GetElapsedTime(lastChange);
                if (stale > timeout)
                {
                    LogOrphaned(logger, clusterId, stale.TotalSeconds, timeout.TotalSeconds);
                    await PullKillSwitchAsync(clusterId, lastRenewals, stoppingToken).ConfigureAwait(false);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PullKillSwitchAsync(string clusterId, long? seenRenewals, CancellationToken cancellationToken)
    {
        if (seenRenewals is not { } seen)
        {
            return; // never saw a lease: nothing to compare against, and nothing proves the cluster is ours to stop
        }

        try
        {
            if (!await leases.MarkAbandonedAsync(clusterId, seen, cancellationToken).ConfigureAwait(false))
            {
                return; // the manager came back, or another silo got there first
            }

            LogMarkedAbandoned(logger, clusterId);
            if (killSwitch is not null)
            {
                await killSwitch.TerminateClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // This silo stops anyway; the others still stop after their own orphan timeout.
            LogKillSwitchFailed(logger, exception, clusterId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked the lease of cluster {ClusterId} abandoned: silos that start later stop before they join")]
    private static partial void LogMarkedAbandoned(ILogger logger, string clusterId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not stop the jobs of cluster {ClusterId} after its manager was found gone")]
    private static partial void LogKillSwitchFailed(ILogger logger, Exception exception, string clusterId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The manager of cluster {ClusterId} has not renewed its lease for {Seconds:0} s (orphan timeout {Timeout:0} s): it is gone; stopping this silo")]
    private static partial void LogOrphaned(ILogger logger, string clusterId, double seconds, double timeout);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The manager of cluster {ClusterId} abandoned its lease (its tear-down could not finish); stopping this silo")]
    private static partial void LogAbandoned(ILogger logger, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the manager lease; will keep trying until the orphan timeout")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
