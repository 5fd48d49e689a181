using Orleans.Runtime;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>The readiness check both sides share: the management grain lists the expected number of active silos.</summary>
internal static class Readiness
{
    /// <summary>How often the harness polls, on both sides.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <c>IManagementGrain.GetHosts(onlyActive: true)</c> until it lists <paramref name="count"/> silos.</summary>
    public static async Task WaitForActiveSilosAsync(IClusterClient client, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Exception? last = null;
        var seen = 0;
        while (true)
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), deadline.Token);
                seen = hosts.Count;
                if (seen >= count)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                last = exception;
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"GetHosts listed {seen} of {count} active silos after {timeout.TotalSeconds:0} s.", last);
            }
        }
    }
}
