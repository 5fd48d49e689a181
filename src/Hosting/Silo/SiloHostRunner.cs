using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Silo;

/// <summary>
/// Runs a silo host until it is stopped, building it again with fresh free ports when the ports it picked were
/// taken by another process between the pick and the bind (several silos may start at once on one host).
/// </summary>
public static partial class SiloHostRunner
{
    /// <summary>Builds, starts and runs the silo host; returns the process exit code.</summary>
    /// <param name="buildHost">Builds a new host; called again for each attempt so new ports are picked.</param>
    /// <param name="maxAttempts">How many hosts to try before giving up.</param>
    /// <param name="cancellationToken">Stops the silo.</param>
    public static async Task<int> RunAsync(Func<IHost> buildHost, int maxAttempts = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buildHost);
        for (var attempt = 1; ; attempt++)
        {
            var host = buildHost();
            try
            {
                try
                {
                    await host.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (FreePortFinder.IsAddressInUse(exception) && attempt < maxAttempts)
                {
                    var logger = (ILogger?)host.Services.GetService(typeof(ILogger<SiloHost>));
                    if (logger is not null)
                    {
                        LogPortsTaken(logger, attempt, maxAttempts);
                    }

                    // A failed start leaves running what it already started: stop what can be stopped before the
                    // next attempt. (Orleans 10 still keeps the socket it bound; ports are picked so that this
                    // path is rare, see FreePortFinder.)
                    await StopFailedHostAsync(host).ConfigureAwait(false);
                    continue;
                }

                await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);

                // A silo that left for a reason its manager must know (a Spot notice) says so in its exit code.
                return (host.Services.GetService(typeof(Spot.SiloExitStatus)) as Spot.SiloExitStatus)?.ExitCode ?? SiloExitCodes.Success;
            }
            finally
            {
                if (host is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    host.Dispose();
                }
            }
        }
    }

    private static async Task StopFailedHostAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await host.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // Best effort: the host is disposed next whatever happens here.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The silo's ports were taken before it could bind them (attempt {Attempt} of {MaxAttempts}); retrying with new free ports")]
    private static partial void LogPortsTaken(ILogger logger, int attempt, int maxAttempts);

    /// <summary>Log category of the silo host runner.</summary>
    private sealed class SiloHost;
}
