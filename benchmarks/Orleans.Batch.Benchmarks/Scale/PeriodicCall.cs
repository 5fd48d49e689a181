namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>A periodic membership call as our silos and manager make it: failures are retried at the next tick.</summary>
internal static class PeriodicCall
{
    /// <summary>
    /// Calls <paramref name="call"/> every <paramref name="period"/> until <paramref name="stop"/>; with
    /// <paramref name="randomStart"/>, the first call comes at a random point of the first period (processes that
    /// started together do not tick together).
    /// </summary>
    public static Task Start(TimeSpan period, Func<CancellationToken, Task> call, bool randomStart, CancellationToken stop) => Task.Run(async () =>
    {
        try
        {
            if (randomStart)
            {
                await Task.Delay(period * Random.Shared.NextDouble(), stop);
                await CallAsync(call, stop);
            }

            using var timer = new PeriodicTimer(period);
            while (await timer.WaitForNextTickAsync(stop))
            {
                await CallAsync(call, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    });

    private static async Task CallAsync(Func<CancellationToken, Task> call, CancellationToken stop)
    {
        try
        {
            await call(stop);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // As in the silo and the manager: the next tick tries again (the proxy counts what failed).
        }
    }
}
