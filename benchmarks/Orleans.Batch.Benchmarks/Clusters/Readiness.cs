using Orleans.Runtime;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>The readiness check both sides share: the management grain lists the expected number of active silos.</summary>
internal static class Readiness
{
    /// <summary>How often the harness polls, on both sides.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Asks <c>IManagementGrain.GetHosts(onlyActive: true)</c> every poll interval, without waiting for earlier
    /// calls to return (one may be stuck on a silo that is still starting), until one answer lists
    /// <paramref name="count"/> silos.
    /// </summary>
    public static async Task WaitForActiveSilosAsync(IClusterClient client, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outstanding = 0;
        var seen = 0;
        Exception? last = null;
        while (!ready.Task.IsCompleted)
        {
            if (Volatile.Read(ref outstanding) < 20)
            {
                Interlocked.Increment(ref outstanding);
                _ = AskAsync();
            }

            await Task.WhenAny(ready.Task, Task.Delay(PollInterval, deadline.Token));
            if (!ready.Task.IsCompleted && deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"GetHosts listed {Volatile.Read(ref seen)} of {count} active silos after {timeout.TotalSeconds:0} s.", last);
            }
        }

        async Task AskAsync()
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(30), deadline.Token);
                Volatile.Write(ref seen, hosts.Count);
                if (hosts.Count >= count)
                {
                    ready.TrySetResult();
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                last = exception;
            }
            finally
            {
                Interlocked.Decrement(ref outstanding);
            }
        }
    }
}
