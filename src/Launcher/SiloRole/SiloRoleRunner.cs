using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Grains.Placement;
using Orleans.Batch.Hosting.Silo;
using Orleans.Batch.Launcher.Cli;

namespace Orleans.Batch.Launcher.SiloRole;

/// <summary>The <c>silo</c> role: one Orleans silo of a cluster, configured through <c>OrleansBatch__*</c> settings.</summary>
internal static class SiloRoleRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await SiloHostRunner.RunAsync(() =>
            {
                var builder = Host.CreateApplicationBuilder(args);

                // Orleans' start-up notes (server GC advice, a watchdog false alarm on its first check) are noise
                // for a worker process; real problems are logged at error level.
                builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
                builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
                builder.AddOrleansBatchSilo(silo => silo.AddSiloTargetedPlacement());
                return builder.Build();
            }).ConfigureAwait(false);
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"error: {string.Join(" ", exception.Failures)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}
