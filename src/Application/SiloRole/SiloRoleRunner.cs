using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Silo;
using Orleans.Batch.Application.CommandLine;

namespace Orleans.Batch.Application.SiloRole;

/// <summary>The <c>silo</c> role: one Orleans silo of a cluster, configured through <c>OrleansBatch__*</c> settings.</summary>
internal static class SiloRoleRunner
{
    public static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configureHost, Action<ISiloBuilder>? configureSilo)
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
                configureHost?.Invoke(builder);
                Telemetry.TelemetryExport.AddToSilo(builder);
                builder.AddOrleansBatchSilo(configureSilo);
                return builder.Build();
            }).ConfigureAwait(false);
        }
        catch (OptionsValidationException exception)
        {
            // Bad settings: one line naming the first of them, as the manager answers bad flags.
            await Console.Error.WriteLineAsync($"error: {exception.Failures.First()}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await ReportAsync(Describe(exception), exception).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    // The detail first, the one-line reason last: the manager shows the last lines of a failed silo's output.
    private static async Task ReportAsync(string reason, Exception exception)
    {
        await Console.Error.WriteLineAsync(exception.ToString()).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"fail: the silo could not start: {reason}").ConfigureAwait(false);
    }

    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (messages.Count == 0 || !messages[^1].Contains(current.Message, StringComparison.Ordinal))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(" ", messages);
    }
}
