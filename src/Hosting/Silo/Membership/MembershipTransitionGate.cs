using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Silo.Membership;

/// <summary>
/// Lets one silo of a local cluster at a time write its membership transitions (Joining and Active when it starts,
/// ShuttingDown and Dead when it stops).
/// </summary>
/// <remarks>
/// Every transition is a compare-and-swap on the table version, and Orleans waits at least 2 s before retrying
/// one that lost a race. Silos started or stopped together race all the time, so a 4-silo cluster paid 2-4 s
/// for it at start and at tear-down (see benchmarks/). Taking turns costs each silo only the few hundred
/// milliseconds another spends in its transition. The turn is an exclusive lock on a file beside the table: the
/// kernel releases it if its holder dies. A silo never waits longer than <see cref="MaxWait"/> for its turn.
/// </remarks>
internal sealed partial class MembershipTransitionGate(
    IOptions<LocalMembershipOptions> membership,
    IOptions<ClusterOptions> cluster,
    TimeProvider time,
    ILogger<MembershipTransitionGate> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>The longest a silo waits for its turn before going ahead anyway.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private FileStream? _turn;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        const int Joining = ServiceLifecycleStage.AfterRuntimeGrainServices;  // starts: writes Joining
        const int Active = ServiceLifecycleStage.BecomeActive;               // starts: writes Active; stops: writes ShuttingDown
        const int Dead = ServiceLifecycleStage.RuntimeInitialize + 1;         // stops: writes Dead

        // Each turn spans one write (a read of the table and a compare-and-swap), not the work between writes, so
        // silos still start and stop in parallel. Stages start in ascending order and stop in descending order.
        Turn(lifecycle, Joining - 1, onStart: () => EnterAsync("join"));
        Turn(lifecycle, Joining + 1, onStart: Release);
        Turn(lifecycle, Active - 49, onStart: () => EnterAsync("become active"));
        Turn(lifecycle, ServiceLifecycleStage.Active, onStart: Release, onStop: () => EnterAsync("shut down"));
        Turn(lifecycle, Active - 1, onStop: Release);
        Turn(lifecycle, Dead + 1, onStop: () => EnterAsync("leave"));
        Turn(lifecycle, Dead - 1, onStop: Release);
    }

    private static void Turn(ISiloLifecycle lifecycle, int stage, Func<Task>? onStart = null, Func<Task>? onStop = null) =>
        lifecycle.Subscribe(
            $"{nameof(MembershipTransitionGate)}@{stage}",
            stage,
            _ => onStart?.Invoke() ?? Task.CompletedTask,
            _ => onStop?.Invoke() ?? Task.CompletedTask);

    public void Dispose() => Release();

    private async Task EnterAsync(string transition)
    {
        // A stop that is cut short still must not wait here longer than MaxWait.
        var cancellationToken = CancellationToken.None;
        var path = membership.Value.GetTransitionLockPath(cluster.Value.ClusterId);
        Directory.CreateDirectory(membership.Value.Directory);
        var started = time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var turn = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                lock (_gate)
                {
                    _turn?.Dispose();
                    _turn = turn;
                }

                return;
            }
            catch (IOException)
            {
                if (time.GetElapsedTime(started) >= MaxWait)
                {
                    LogGaveUpWaiting(logger, transition, MaxWait.TotalSeconds);
                    return;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(15), time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private Task Release()
    {
        lock (_gate)
        {
            _turn?.Dispose();
            _turn = null;
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waited {Seconds:0} s for this silo's turn to {Transition} the cluster; going ahead")]
    private static partial void LogGaveUpWaiting(ILogger logger, string transition, double seconds);
}
