using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Silo.Watchdog;

/// <summary>
/// Stops a locally launched silo when its manager is gone or asks it to stop, so no silo outlives its manager.
/// </summary>
/// <remarks>
/// Two signals, either enough: end-of-file on standard input (the manager holds the pipe's write end; it
/// closes it to ask for a graceful stop, and the kernel closes it if the manager dies in any way, even
/// SIGKILL), and the manager's process id disappearing (for launchers that cannot keep a pipe).
/// </remarks>
internal sealed partial class ManagerProcessWatchdog(
    IOptions<SiloHostingOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<ManagerProcessWatchdog> logger) : BackgroundService
{
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(500);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watches = new List<Task>();
        if (options.Value.WatchStandardInput)
        {
            watches.Add(WatchStandardInputAsync(stoppingToken));
        }

        if (options.Value.ParentProcessId is { } parentId)
        {
            watches.Add(WatchParentProcessAsync(parentId, stoppingToken));
        }

        return watches.Count == 0 ? Task.CompletedTask : Task.WhenAny(watches);
    }

    private async Task WatchStandardInputAsync(CancellationToken stoppingToken)
    {
        // A dedicated thread: reads from a pipe block, and must not occupy a thread-pool thread.
        var eof = await Task.Factory.StartNew(
            () =>
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                try
                {
                    while (input.Read(buffer, 0, buffer.Length) > 0)
                    {
                        // Anything written is ignored; only end-of-file matters.
                    }

                    return true;
                }
                catch (IOException)
                {
                    return true;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(stoppingToken).ConfigureAwait(false);

        if (eof && !stoppingToken.IsCancellationRequested)
        {
            LogStdinClosed(logger);
            lifetime.StopApplication();
        }
    }

    private async Task WatchParentProcessAsync(int parentId, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollPeriod, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!IsAlive(parentId))
            {
                LogParentGone(logger, parentId);
                lifetime.StopApplication();
                return;
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The manager closed this silo's standard input (it asked for a stop, or it died); stopping the silo")]
    private static partial void LogStdinClosed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The manager process {ProcessId} is gone; stopping the silo")]
    private static partial void LogParentGone(ILogger logger, int processId);
}
