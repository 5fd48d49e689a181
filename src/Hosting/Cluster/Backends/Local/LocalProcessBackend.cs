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
    private readonly Dictionary<int, LocalSiloSlot> _slots = [];
    private readonly Lock _gate = new();
    private bool _terminating;

    /// <summary>The name of this backend on the command line.</summary>
    public const string BackendName = "local";

    // Removing a silo is graceful: it leaves the membership and its grains move before it is forced.
    private static readonly TimeSpan StopSilosGracePeriod = TimeSpan.FromSeconds(10);

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

    /// <summary>The log file of the silo at <paramref name="index"/> (its current attempt).</summary>
    public string LogPathFor(int index)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(index, out var slot) ? slot.Current.LogPath : LogPathFor(index, attempt: 1);
        }
    }

    private string LogPathFor(int index, int attempt) => Path.Combine(
        options.LogDirectory,
        attempt == 1 ? $"silo-{index.ToString(CultureInfo.InvariantCulture)}.log" : $"silo-{index.ToString(CultureInfo.InvariantCulture)}.attempt-{attempt.ToString(CultureInfo.InvariantCulture)}.log");

    /// <inheritdoc />
    public Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var launched = new List<LaunchedSilo>(spec.Count);
        for (var i = 0; i < spec.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int index;
            lock (_gate)
            {
                // Indexes continue across submissions: a grown cluster's new silos follow the ones it has.
                index = _slots.Count == 0 ? 0 : _slots.Keys.Max() + 1;
                _slots[index] = new LocalSiloSlot(spec, BuildEnvironment(spec, index));
                _slots[index].Current = Start(index, _slots[index], attempt: 1);
            }

            launched.Add(new LaunchedSilo(index, SiloNameFor(index), _slots[index].Current.ProcessId.ToString(CultureInfo.InvariantCulture)));
        }

        return Task.FromResult<IReadOnlyList<LaunchedSilo>>(launched);
    }

    private Dictionary<string, string> BuildEnvironment(SiloLaunchSpec spec, int index)
    {
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
        return environment;
    }

    // Called under _gate.
    private SiloProcess Start(int index, LocalSiloSlot slot, int attempt)
    {
        var name = SiloNameFor(index);
        var silo = SiloProcess.Start(index, name, LogPathFor(index, attempt), slot.Environment, options, OnExited);
        slot.Attempt = attempt;
        LogStarted(logger, index, name, silo.ProcessId, silo.LogPath);
        return silo;
    }

    /// <summary>
    /// A silo process ended: when nobody asked it to and the cause is the infrastructure's (killed, or left on an
    /// interruption notice), it is started again as a new attempt, as Batch's retry strategy does on AWS.
    /// </summary>
    private void OnExited(SiloProcess process)
    {
        lock (_gate)
        {
            if (_terminating || process.StopRequested || !_slots.TryGetValue(process.Index, out var slot) || slot.Current != process
                || process.ExitCode is not { } exitCode || !InfrastructureLoss.IsReplaceableExit(exitCode))
            {
                return;
            }

            var budget = slot.Spec.Replacements;
            var next = slot.Attempt + 1;
            if (budget is null || next > budget.AttemptsPerSilo || !budget.TryAccept(process.Index, next))
            {
                return;
            }

            slot.PreviousAttemptReason = ExitReason(process);
            slot.Previous.Add(process);
            try
            {
                slot.Current = Start(process.Index, slot, next);
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                LogRestartFailed(logger, process.Index, exception);
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken)
    {
        List<SiloBackendStatus> statuses;
        lock (_gate)
        {
            statuses = [.. _slots.Values.Select(slot => Describe(slot.Current) with
            {
                Attempt = slot.Attempt,
                PreviousAttemptReason = slot.PreviousAttemptReason,
            })];
        }

        return Task.FromResult<IReadOnlyList<SiloBackendStatus>>(statuses);
    }

    /// <summary>The last lines of a silo's output, for error reports.</summary>
    public IReadOnlyList<string> ReadLogTail(int index, int lines) =>
        Snapshot().FirstOrDefault(s => s.Index == index)?.ReadLogTail(lines) ?? [];

    /// <inheritdoc />
    public async Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var targets = Snapshot().Where(s => indexes.Contains(s.Index)).ToList();
        await StopAsync(targets, StopSilosGracePeriod, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken force)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            // From now on nothing is started again.
            _terminating = true;
        }

        return StopAsync(Snapshot(), request.GracePeriod, force);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        List<SiloProcess> all;
        lock (_gate)
        {
            _terminating = true;
            all = [.. _slots.Values.SelectMany(slot => slot.Previous.Append(slot.Current))];
            _slots.Clear();
        }

        foreach (var silo in all)
        {
            await silo.DisposeAsync().ConfigureAwait(false);
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

    private static string ExitReason(SiloProcess silo) => silo.ExitCode switch
    {
        SiloExitCodes.Interrupted => $"left on an interruption notice (exit code {SiloExitCodes.Interrupted})",
        SiloExitCodes.Killed => $"killed (exit code {SiloExitCodes.Killed})",
        var code => $"exited with code {code}",
    };

    private List<SiloProcess> Snapshot()
    {
        lock (_gate)
        {
            return [.. _slots.Values.Select(slot => slot.Current)];
        }
    }

    /// <summary>One silo index: its current process (attempt), and those it replaced.</summary>
    private sealed class LocalSiloSlot(SiloLaunchSpec spec, Dictionary<string, string> environment)
    {
        public SiloLaunchSpec Spec { get; } = spec;

        public Dictionary<string, string> Environment { get; } = environment;

        public SiloProcess Current { get; set; } = null!;

        public int Attempt { get; set; } = 1;

        public string? PreviousAttemptReason { get; set; }

        public List<SiloProcess> Previous { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Index} could not be started again")]
    private static partial void LogRestartFailed(ILogger logger, int index, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Started silo {Index} ({Name}) as process {ProcessId}; output in {LogPath}")]
    private static partial void LogStarted(ILogger logger, int index, string name, int processId, string logPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Index} (process {ProcessId}) did not stop within the grace period; killing it")]
    private static partial void LogKilling(ILogger logger, int index, int processId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Index} (process {ProcessId}) is still running after being killed")]
    private static partial void LogStillRunning(ILogger logger, int index, int processId);
}
