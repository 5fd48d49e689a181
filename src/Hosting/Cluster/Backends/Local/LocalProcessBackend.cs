using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Silo;

namespace Orleans.Batch.Hosting.Cluster.Backends.Local;

/// <summary>
/// Runs each silo as a child process of the manager on this machine: the default backend, for trying
/// Orleans.Batch out and for developing a workload before paying for AWS Batch.
/// </summary>
internal partial class LocalProcessBackend(LocalProcessBackendOptions options, ILogger<LocalProcessBackend> logger) : ISiloBackend
{
    private readonly List<SiloProcess> _silos = [];
    private readonly Lock _gate = new();

    /// <summary>The name of this backend on the command line.</summary>
    public const string BackendName = "local";

    /// <inheritdoc />
    public string Name => BackendName;

    /// <summary>
    /// The console log format of silo processes: one line per entry with its level first, which
    /// <see cref="LogLineLevel"/> reads to decide what to forward. <see cref="LocalProcessBackendOptions.Environment"/> can override it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SiloConsoleFormat { get; } = new Dictionary<string, string>
    {
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
    };

    /// <summary>The silo name the local backend gives the silo at <paramref name="index"/>.</summary>
    public static string SiloNameFor(int index) => $"local-{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The log file of the silo at <paramref name="index"/>.</summary>
    public string LogPathFor(int index) => Path.Combine(options.LogDirectory, $"silo-{index.ToString(CultureInfo.InvariantCulture)}.log");

    /// <inheritdoc />
    public Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var launched = new List<LaunchedSilo>(spec.Count);
        for (var index = 0; index < spec.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = SiloNameFor(index);
            var environment = new Dictionary<string, string>(SiloConsoleFormat);
            foreach (var (key, value) in options.Environment)
            {
                environment[key] = value;
            }

            // Local silos listen on loopback, are named by index, and watch their manager's pipe and process.
            var settings = spec.Settings with
            {
                SiloName = name,
                AdvertisedAddress = "127.0.0.1",
                WatchStandardInput = true,
                ParentProcessId = Environment.ProcessId,
            };
            foreach (var (key, value) in settings.ToEnvironment())
            {
                environment[key] = value;
            }

            options.ConfigureSilo?.Invoke(index, environment);
            var silo = SiloProcess.Start(index, name, environment, options);
            lock (_gate)
            {
                _silos.Add(silo);
            }

            LogStarted(logger, index, name, silo.ProcessId, silo.LogPath);
            launched.Add(new LaunchedSilo(index, name, silo.ProcessId.ToString(CultureInfo.InvariantCulture)));
        }

        return Task.FromResult<IReadOnlyList<LaunchedSilo>>(launched);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SiloBackendStatus> statuses = Snapshot().Select(Describe).ToList();
        return Task.FromResult(statuses);
    }

    /// <summary>The last lines of a silo's output, for error reports.</summary>
    public IReadOnlyList<string> ReadLogTail(int index, int lines) =>
        Snapshot().FirstOrDefault(s => s.Index == index)?.ReadLogTail(lines) ?? [];

    /// <inheritdoc />
    public async Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var targets = Snapshot().Where(s => indexes.Contains(s.Index)).ToList();
        await StopAsync(targets, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken force)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StopAsync(Snapshot(), request.GracePeriod, force);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Snapshot())
        {
            await silo.DisposeAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _silos.Clear();
        }
    }

    private async Task<TeardownOutcome> StopAsync(IReadOnlyList<SiloProcess> targets, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var running = targets.Where(s => !s.HasExited).ToList();
        foreach (var silo in running)
        {
            silo.RequestStop();
        }

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(gracePeriod);
        try
        {
            await Task.WhenAll(running.Select(s => s.WaitForExitAsync(grace.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Grace period over (or the user insisted): force the rest below.
        }

        // Force the rest all at once: one by one, a machine full of starving silos takes minutes to clear.
        var forced = running.Where(s => !s.HasExited).ToList();
        foreach (var silo in forced)
        {
            LogKilling(logger, silo.Index, silo.ProcessId);
        }

        await Task.WhenAll(forced.Select(silo => Task.Run(silo.Kill, CancellationToken.None))).ConfigureAwait(false);
        var stillRunning = new List<string>();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            foreach (var silo in running)
            {
                try
                {
                    await silo.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogStillRunning(logger, silo.Index, silo.ProcessId);
                    stillRunning.Add($"process {silo.ProcessId.ToString(CultureInfo.InvariantCulture)} (silo {silo.Index.ToString(CultureInfo.InvariantCulture)})");
                }
            }
        }

        var killed = forced.Count;
        var graceful = running.Count - killed;
        return new TeardownOutcome(graceful, killed, $"{running.Count} silo process(es) stopped: {graceful} gracefully, {killed} killed")
        {
            StillRunning = stillRunning,
        };
    }

    private static SiloBackendStatus Describe(SiloProcess silo)
    {
        if (silo.ExitCode is not { } exitCode)
        {
            return new SiloBackendStatus(silo.Index, SiloBackendState.Running, $"pid {silo.ProcessId}", null, silo.LogPath);
        }

        return exitCode == 0
            ? new SiloBackendStatus(silo.Index, SiloBackendState.Succeeded, "exited with code 0", 0, silo.LogPath)
            : new SiloBackendStatus(silo.Index, SiloBackendState.Failed, silo.StopRequested ? $"stopped, exit code {exitCode}" : $"exited with code {exitCode}", exitCode, silo.LogPath);
    }

    private List<SiloProcess> Snapshot()
    {
        lock (_gate)
        {
            return [.. _silos];
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Started silo {Index} ({Name}) as process {ProcessId}; output in {LogPath}")]
    private static partial void LogStarted(ILogger logger, int index, string name, int processId, string logPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Index} (process {ProcessId}) did not stop within the grace period; killing it")]
    private static partial void LogKilling(ILogger logger, int index, int processId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Index} (process {ProcessId}) is still running after being killed")]
    private static partial void LogStillRunning(ILogger logger, int index, int processId);
}
