using Orleans.Batch.Hosting.LocalState.Internal;
namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>
/// The turn of a local cluster: an exclusive lock on a file beside its table, released by the kernel if its holder
/// dies. A local cluster has a handful of silos, so waiters simply try again, sooner while a turn is likely to end
/// soon and less often the longer they wait (and reading a local table ahead of the turn saves nothing).
/// </summary>
internal sealed class FileMembershipTurnLock(LocalMembershipOptions options, TimeProvider timeProvider) : IMembershipTurnLock
{
    /// <summary>The longest a silo waits for its turn before going ahead without it.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    public async Task<IAsyncDisposable?> EnterAsync(string clusterId, Func<CancellationToken, Task>? almostDue, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var delay = FirstRetry;
        while (true)
        {
            if (TryEnter(clusterId) is { } turn)
            {
                return turn;
            }

            if (timeProvider.GetElapsedTime(started) >= MaxWait)
            {
                return null;
            }

            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)delay.TotalMilliseconds + 1));
            await Task.Delay(delay + jitter, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, LongestRetry.TotalMilliseconds));
        }
    }

    /// <summary>Tries once; null when another silo holds the turn.</summary>
    internal IAsyncDisposable? TryEnter(string clusterId)
    {
        options.EnsureDirectory();
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            return PrivateFile.Open(options.GetTransitionLockPath(clusterId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
