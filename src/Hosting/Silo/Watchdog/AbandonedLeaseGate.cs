using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Silo.Watchdog;

/// <summary>
/// Before a silo joins: when its cluster's lease is marked abandoned (the manager gave up, or a silo found it gone),
/// the silo stops at once instead of joining a cluster nobody will use. This is what keeps a child that Batch starts
/// late, from RUNNABLE, from running for a whole orphan timeout.
/// </summary>
internal sealed partial class AbandonedLeaseGate(
    IOptions<ClusterOptions> cluster,
    IManagerLeaseStore leases,
    ILogger<AbandonedLeaseGate> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AbandonedLeaseGate), ServiceLifecycleStage.RuntimeInitialize, CheckAsync, _ => Task.CompletedTask);

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var clusterId = cluster.Value.ClusterId;
        ManagerLease? lease;
        try
        {
            lease = await leases.ReadAsync(clusterId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The lease watchdog keeps reading it; a passing failure here must not keep a healthy silo out.
            LogReadFailed(logger, exception);
            return;
        }

        if (lease is { Abandoned: true })
        {
            LogAbandoned(logger, clusterId);
            throw new InvalidOperationException($"The manager of cluster {clusterId} is gone (its lease is marked abandoned); this silo does not join.");
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The manager of cluster {ClusterId} is gone (its lease is marked abandoned): this silo stops before it joins")]
    private static partial void LogAbandoned(ILogger logger, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the manager lease before joining; joining anyway (the lease watchdog keeps checking)")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
