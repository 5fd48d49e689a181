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
/// and the silo's cannot cause a false stop. A lease that cannot be read counts as not renewed.
/// </remarks>
internal sealed partial class ManagerLeaseWatchdog(
    IOptions<ManagerLeaseOptions> options,
    IOptions<ClusterOptions> cluster,
    IManagerLeaseStore leases,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ManagerLeaseWatchdog> logger) : BackgroundService
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
        using var timer = new PeriodicTimer(ManagerLeaseOptions.CheckPeriodFor(timeout), time);
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
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The manager of cluster {ClusterId} has not renewed its lease for {Seconds:0} s (orphan timeout {Timeout:0} s): it is gone; stopping this silo")]
    private static partial void LogOrphaned(ILogger logger, string clusterId, double seconds, double timeout);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The manager of cluster {ClusterId} abandoned its lease (its tear-down could not finish); stopping this silo")]
    private static partial void LogAbandoned(ILogger logger, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the manager lease; will keep trying until the orphan timeout")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
