using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Releases everything a cluster holds, in order: the manager's client, the silos' compute (graceful, then
/// forced), and the membership rows. Each step runs even if an earlier one failed; it runs at most once.
/// </summary>
internal sealed partial class ClusterTeardown(
    ISiloBackend backend,
    IClusterMembership membership,
    ClusterLaunchOptions options,
    IClusterLaunchObserver observer,
    TimeProvider timeProvider,
    ILogger logger)
{
    private static readonly TimeSpan ClientStopTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MembershipDeleteTimeout = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private Task<ClusterTeardownReport>? _run;

    /// <summary>The health monitor to stop first (so the silos' planned stop is not reported as deaths), once it exists.</summary>
    public ClusterHealthMonitor? Monitor { get; set; }

    private Elasticity.ClusterAutoscaler? _autoscaler;

    /// <summary>Attaches the cluster's autoscaler, stopped first at tear-down; false when there is one already or tear-down began.</summary>
    public bool TryAttach(Elasticity.ClusterAutoscaler autoscaler)
    {
        lock (_gate)
        {
            if (_run is not null || _autoscaler is not null)
            {
                return false;
            }

            _autoscaler = autoscaler;
            return true;
        }
    }

    /// <summary>The resizer to release once the monitor is stopped.</summary>
    public Elasticity.ClusterResizer? Resizer { get; set; }

    /// <summary>The manager lease renewer, stopped after the silos and before the rows (and lease) are deleted.</summary>
    public ManagerLeaseRenewer? LeaseRenewer { get; set; }

    /// <summary>True once the membership table was reached (before that there are no rows to delete).</summary>
    public bool MembershipPrepared { get; set; }

    /// <summary>The cluster's certificate, released once the client has stopped (its copy for the silos goes with the rows).</summary>
    public Security.Internal.ClusterCertificate? Certificate { get; set; }

    /// <summary>The client host to stop first, once it exists.</summary>
    public IHost? ClientHost { get; set; }

    /// <summary>
    /// Tears the cluster down. <paramref name="force"/> cuts the graceful stop short (e.g. a second Ctrl+C);
    /// nothing else can cancel tear-down.
    /// </summary>
    public Task<ClusterTeardownReport> RunAsync(string reason, CancellationToken force)
    {
        lock (_gate)
        {
            return _run ??= RunOnceAsync(reason, force);
        }
    }

    private async Task<ClusterTeardownReport> RunOnceAsync(string reason, CancellationToken force)
    {
        observer.OnTeardownStarted(reason);
        LogTeardown(logger, reason);
        var started = timeProvider.GetTimestamp();
        var errors = new List<string>();

        // Nothing may grow or shrink the cluster while it is released.
        Elasticity.ClusterAutoscaler? autoscaler;
        lock (_gate)
        {
            autoscaler = _autoscaler;
        }

        if (autoscaler is not null)
        {
            await autoscaler.DisposeAsync().ConfigureAwait(false);
        }

        if (Monitor is { } monitor)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        Resizer?.Dispose();

        // The client and the silos stop together: the client's goodbyes need not delay the silos' stop.
        var clientStopped = StopClientAsync(force);
        TeardownOutcome? outcome = null;
        try
        {
            outcome = await backend.TerminateAllAsync(new TeardownRequest(options.ShutdownGracePeriod, options.TeardownTimeout, observer.OnWarning), force).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            errors.Add($"stopping the silos failed: {exception.Message}");
            LogStepFailed(logger, "stop the silos", exception);
        }

        await clientStopped.ConfigureAwait(false);
        Certificate?.Dispose();

        // The lease and the rows go only once the compute is confirmed gone: while silos may still run, the lease
        // is what tells list and cleanup (and the silos themselves) that this cluster needs releasing.
        var confirmed = outcome is { Confirmed: true };
        if (!confirmed)
        {
            if (outcome is not null)
            {
                errors.Add($"stopping the silos did not finish: {outcome.Description}");
            }

            await AbandonLeaseAsync(errors).ConfigureAwait(false);
            var abandoned = new ClusterTeardownReport(outcome, false, timeProvider.GetElapsedTime(started), errors)
            {
                Abandoned = true,
                StillRunning = outcome?.StillRunning ?? [],
            };
            observer.OnTeardownCompleted(abandoned);
            Diagnostics.Internal.ClusterTelemetry.TeardownEnded(options.ClusterId, "abandoned", abandoned.Elapsed);
            return abandoned;
        }

        if (LeaseRenewer is { } renewer)
        {
            await renewer.DisposeAsync().ConfigureAwait(false);
        }

        var deleted = false;
        if (!MembershipPrepared)
        {
            deleted = true;
        }
        else
        {
            try
            {
                using var timeout = new CancellationTokenSource(MembershipDeleteTimeout);
                await membership.DeleteAsync(timeout.Token).ConfigureAwait(false);
                deleted = true;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                errors.Add($"deleting the membership rows ({membership.Description}) failed: {exception.Message}");
                LogStepFailed(logger, "delete the membership rows", exception);
            }
        }

        var report = new ClusterTeardownReport(outcome, deleted, timeProvider.GetElapsedTime(started), errors);
        observer.OnTeardownCompleted(report);
        Diagnostics.Internal.ClusterTelemetry.TeardownEnded(options.ClusterId, "released", report.Elapsed);
        return report;
    }

    private async Task AbandonLeaseAsync(List<string> errors)
    {
        if (!MembershipPrepared)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(MembershipDeleteTimeout);
            if (LeaseRenewer is { } renewer)
            {
                await renewer.AbandonAsync(timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await membership.Leases.WriteAsync(
                    options.ClusterId,
                    new Orleans.Batch.Hosting.Membership.Lease.ManagerLease(long.MaxValue, timeProvider.GetUtcNow(), TimeSpan.Zero, Environment.MachineName) { Abandoned = true },
                    timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            errors.Add($"marking the cluster abandoned ({membership.Description}) failed: {exception.Message}");
            LogStepFailed(logger, "mark the cluster abandoned", exception);
        }
    }

    private async Task StopClientAsync(CancellationToken force)
    {
        if (ClientHost is not { } client)
        {
            return;
        }

        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(force);
            stop.CancelAfter(ClientStopTimeout);
            await client.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The client is only ours; a failed stop must not keep silos alive.
            LogStepFailed(logger, "stop the client", exception);
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tearing the cluster down: {Reason}")]
    private static partial void LogTeardown(ILogger logger, string reason);

    // The observer reports each failed step in one line; the stack trace is for --verbose.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Tear-down could not {Step}")]
    private static partial void LogStepFailed(ILogger logger, string step, Exception exception);
}
