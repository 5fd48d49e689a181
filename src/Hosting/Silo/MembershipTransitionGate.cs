using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Silo;

/// <summary>
/// Lets one silo of a cluster at a time write its membership transitions (Joining and Active when it starts,
/// ShuttingDown and Dead when it stops).
/// </summary>
/// <remarks>
/// Every transition is a compare-and-swap on the table version, and Orleans waits at least 2 s before retrying
/// one that lost a race. Silos started or stopped together race all the time, so a 4-silo cluster paid 2-4 s
/// for it at start and at tear-down (see benchmarks/). Taking turns costs each silo only the few hundred
/// milliseconds another spends in its transition. The turn (<see cref="IMembershipTurnLock"/>) is a file lock for
/// local clusters and a ticket queue in DynamoDB, which serves a thousand silos joining together in order, those
/// queued together in one shared turn. The gate records the turn in <see cref="MembershipTurnContext"/>, where the
/// table finds it for the silo's own writes.
/// </remarks>
internal sealed partial class MembershipTransitionGate(
    IMembershipTurnLock turns,
    IOptions<ClusterOptions> cluster,
    IMembershipTable table,
    MembershipTurnContext context,
    ILocalSiloDetails silo,
    ILogger<MembershipTransitionGate> logger) : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        const int Joining = ServiceLifecycleStage.AfterRuntimeGrainServices;  // starts: writes Joining
        const int Active = ServiceLifecycleStage.BecomeActive;               // starts: writes Active; stops: writes ShuttingDown
        const int Dead = ServiceLifecycleStage.RuntimeInitialize + 1;         // stops: writes Dead

        // Each turn spans one write (a read of the table and a compare-and-swap), not the work between writes, so
        // silos still start and stop in parallel. Stages start in ascending order and stop in descending order.
        Turn(lifecycle, Joining - 1, onStart: () => EnterAsync("join"));
        Turn(lifecycle, Joining + 1, onStart: ReleaseAsync);
        Turn(lifecycle, Active - 49, onStart: () => EnterAsync("become active"));
        Turn(lifecycle, ServiceLifecycleStage.Active, onStart: ReleaseAsync, onStop: () => EnterAsync("shut down"));
        Turn(lifecycle, Active - 1, onStop: ReleaseAsync);
        Turn(lifecycle, Dead + 1, onStop: () => EnterAsync("leave"));
        Turn(lifecycle, Dead - 1, onStop: ReleaseAsync);
    }

    private static void Turn(ISiloLifecycle lifecycle, int stage, Func<Task>? onStart = null, Func<Task>? onStop = null) =>
        lifecycle.Subscribe(
            $"{nameof(MembershipTransitionGate)}@{stage}",
            stage,
            _ => onStart?.Invoke() ?? Task.CompletedTask,
            _ => onStop?.Invoke() ?? Task.CompletedTask);

    public ValueTask DisposeAsync() => new(ReleaseAsync());

    private async Task EnterAsync(string transition)
    {
        await ReleaseAsync().ConfigureAwait(false);
        var turn = await WaitForTurnAsync(turns, cluster.Value.ClusterId, transition, ReadTableAsync, logger).ConfigureAwait(false);
        if (turn is not null)
        {
            // The table writes this silo's own transitions in the turn (in DynamoDB together with the silos served with it).
            context.Hold(cluster.Value.ClusterId, silo.SiloAddress.ToParsableString(), turn);
        }
    }

    /// <summary>
    /// Waits for the cluster's turn to write one transition; null when the turn could not be had (the wait gave up or
    /// the turn store failed), and the caller goes ahead without it. Dispose the result to give the turn back.
    /// </summary>
    internal static async Task<IAsyncDisposable?> WaitForTurnAsync(
        IMembershipTurnLock turns, string clusterId, string transition, Func<CancellationToken, Task>? almostDue, ILogger logger)
    {
        try
        {
            if (await turns.EnterAsync(clusterId, almostDue, CancellationToken.None).ConfigureAwait(false) is { } turn)
            {
                return turn;
            }

            LogGaveUpWaiting(logger, transition);
            return null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The turn only saves time: if it cannot be had, go ahead without it.
            LogTurnFailed(logger, transition, exception);
            return null;
        }
    }

    // The table Orleans itself reads in the turn: reading it just before warms the same snapshot.
    private Task ReadTableAsync(CancellationToken cancellationToken) => table.ReadAllAsync(cancellationToken);

    private async Task ReleaseAsync()
    {
        // The turn held now: the one taken, or the one the table renewed it with (the taken one's part is then over).
        if (context.Take() is { } turn)
        {
            await turn.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not take the membership turn to {Transition}; going ahead without it")]
    private static partial void LogTurnFailed(ILogger logger, string transition, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster's turns did not come round for this silo to {Transition}; going ahead without its turn")]
    private static partial void LogGaveUpWaiting(ILogger logger, string transition);
}
