using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Orleans.Batch.Hosting.LocalState;
using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Workloads;
using Spectre.Console;

namespace Orleans.Batch.Application.Manager;

/// <summary>
/// The manager role: launch the cluster, run the workload as an Orleans client, and release everything on every
/// exit path (normal, workload error, Ctrl+C, SIGTERM, launch failure).
/// </summary>
internal static class ManagerRunner
{
    public static async Task<int> RunAsync(ManagerSettings settings, WorkloadCatalog workloads, Action<IClientBuilder>? configureClient)
    {
        // In a pipe or a log file, whole lines only, so log entries from other threads never split one (a terminal
        // gets every piece at once: the progress display draws partial lines).
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.IsErrorRedirected ? new LineBufferedWriter(Console.Error) : Console.Error),
            Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        });
        if (Console.IsErrorRedirected)
        {
            // Logs and pipes have no width: never wrap lines there.
            console.Profile.Width = 4096;
        }

        var time = TimeProvider.System;
        var observer = new ConsoleClusterObserver(console, time);
        using var loggerFactory = LoggerFactory.Create(logging => ConfigureManagerLogging(logging, settings.Verbose));

        // Disposed last: the export flushes the tear-down's measurements on the way out.
        using var telemetry = Telemetry.TelemetryExport.StartManager(settings.OtlpEndpoint, settings.MetricsToConsole);
        using var signals = new ShutdownSignals(observer.Info);
        var workload = workloads.Get(settings.Workload);
        Reporting.RunPricing pricing;
        try
        {
            pricing = Reporting.RunPricing.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        }
        catch (Reporting.RunReportException exception)
        {
            observer.Error(exception.Message);
            return ExitCodes.Usage;
        }

        // Bound before anything starts: a port in use fails the run with nothing submitted.
        Dashboard.ManagerDashboard? dashboard = null;
        if (settings.Dashboard is { } dashboardSettings)
        {
            try
            {
                dashboard = await Dashboard.ManagerDashboard.StartAsync(dashboardSettings, logging => ConfigureManagerLogging(logging, settings.Verbose), signals.Stopping).ConfigureAwait(false);
            }
            catch (Dashboard.DashboardException exception)
            {
                observer.Error(exception.Message);
                return ExitCodes.Usage;
            }
        }

        await using (dashboard)
        {
            using var usage = new Reporting.RunUsageRecorder(time);
            var run = new ManagerRun(console, observer, loggerFactory, signals, dashboard, usage, time);
            var exitCode = await StartAndRunAsync(settings, workload, configureClient, run).ConfigureAwait(false);
            return run.Environment is { } environment ? Report(settings, run, environment, pricing, exitCode) : exitCode;
        }
    }

    /// <summary>Prints the run's summary and writes <c>--report</c>; a report that cannot be written fails a run that did not.</summary>
    private static int Report(ManagerSettings settings, ManagerRun run, BatchClusterEnvironment environment, Reporting.RunPricing pricing, int exitCode)
    {
        // Local silos cost nothing on AWS: no estimate.
        var report = run.Usage.Finish(new Reporting.RunReportContext(
            environment.ClusterId, environment.Backend.Name, exitCode, environment.SiloVcpus, environment.SiloMemoryMiB,
            environment.BatchRegion is not null ? pricing : null));
        foreach (var line in report.Describe())
        {
            run.Observer.Info(line);
        }

        if (settings.ReportPath is { } path)
        {
            try
            {
                Reporting.RunReportFile.Write(report, path);
            }
            catch (Reporting.RunReportException exception)
            {
                run.Observer.Error(exception.Message);
                return exitCode == ExitCodes.Success ? ExitCodes.Failure : exitCode;
            }
        }

        return exitCode;
    }

    private static async Task<int> StartAndRunAsync(ManagerSettings settings, IClusterWorkload workload, Action<IClientBuilder>? configureClient, ManagerRun run)
    {
        var (observer, signals) = (run.Observer, run.Signals);

        Rehearsal.RehearsalEnvironment? rehearsal = null;
        if (settings.Rehearsal is { } rehearsalSettings)
        {
            try
            {
                rehearsal = await Rehearsal.RehearsalEnvironment.StartAsync(rehearsalSettings.Image, signals.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
            {
                return signals.ExitCode ?? ExitCodes.Interrupted;
            }
            catch (Rehearsal.RehearsalException exception)
            {
                observer.Error(exception.Message);
                return ExitCodes.Usage;
            }

            observer.Info(rehearsal.Describe(rehearsalSettings.Image));
            settings.Cluster.BatchEndpoint = rehearsal.BatchEndpoint;
            settings.Cluster.DynamoDBEndpoint = rehearsal.DynamoDBEndpoint;
        }

        await using (rehearsal)
        {
            return await RunClusterAsync(settings, workload, configureClient, run).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunClusterAsync(ManagerSettings settings, IClusterWorkload workload, Action<IClientBuilder>? configureClient, ManagerRun run)
    {
        var (console, observer, loggerFactory, signals, dashboard, time) = (run.Console, run.Observer, run.LoggerFactory, run.Signals, run.Dashboard, run.Time);
        BatchClusterEnvironment environment;
        try
        {
            environment = await BatchClusterEnvironment.CreateAsync(settings.Cluster, loggerFactory, time, observer, signals.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
        {
            return signals.ExitCode ?? ExitCodes.Interrupted;
        }
        catch (Orleans.Batch.Hosting.Cluster.Preflight.BatchPreflightException exception)
        {
            // The queue, its compute environments or the job definition cannot run the silos: nothing was submitted.
            observer.Error(exception.Message);
            return ExitCodes.Usage;
        }
        catch (LocalStateException exception)
        {
            // Where local state would go is wrong (TMPDIR, a directory that is not ours): nothing was started.
            observer.Error(exception.Message);
            return ExitCodes.Usage;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            observer.Error(ErrorMessages.Describe(exception));
            return ExitCodes.Failure;
        }

        Func<string, string>? logsCommand = environment.BatchRegion is { } region
            ? jobId => Commands.LogsCommandLine.For(jobId, region, settings.Cluster.BatchEndpoint?.OriginalString)
            : null;
        var cleanupCommand = Commands.CleanupCommandLine.For(environment.ClusterId, settings.Cluster, environment.BatchQueue ?? settings.Cluster.Queue, settings.Cluster.Region ?? environment.BatchRegion);
        observer.LogsCommand = logsCommand;
        run.Environment = environment;
        await using (environment.ConfigureAwait(false))
        {
            var launcher = environment.CreateLauncher(observer, loggerFactory, time, logging => ConfigureClientLogging(logging, settings.Verbose), configureClient);
            observer.Info($"Launching {Plural(settings.Cluster.Silos, "silo")} {environment.Description}");

            BatchCluster cluster;
            try
            {
                run.Usage.LaunchStarting();
                cluster = await observer.ShowLaunchAsync(() => launcher.LaunchAsync(signals.Stopping, signals.Forcing)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
            {
                return launcher.LastTeardown is { Abandoned: true } abandoned ? GaveUp(observer, abandoned, cleanupCommand) : signals.ExitCode ?? ExitCodes.Interrupted;
            }
            catch (ClusterLaunchException exception)
            {
                observer.Error(exception.Message);
                ShowFailedSiloLogs(observer, environment.Backend, exception.Snapshot);
                ShowFailedSiloJobs(observer, logsCommand, exception.Snapshot);
                return launcher.LastTeardown is { Abandoned: true } abandoned ? GaveUp(observer, abandoned, cleanupCommand) : ExitCodes.Failure;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Already torn down by the launcher; say what went wrong in one line.
                observer.Error(ErrorMessages.Describe(exception));
                return launcher.LastTeardown is { Abandoned: true } abandoned ? GaveUp(observer, abandoned, cleanupCommand) : ExitCodes.Failure;
            }

            run.Usage.Ready(cluster);
            var context = new WorkloadContext(Console.Out, console, settings.WorkloadOptions);
            var adapting = settings.Adaptive is { } adaptive ? cluster.Adapt(adaptive) : null;
            if (settings.Adaptive is { } scaling)
            {
                observer.Info($"Scaling with the load between {Plural(scaling.Minimum, "silo")} and {scaling.Maximum} (--scale adaptive)");
            }

            if (dashboard is not null)
            {
                dashboard.Attach(cluster.Client);
                observer.Info($"Dashboard: {dashboard.Url}");
            }

            var exitCode = await RunWorkloadAsync(cluster, workload, context, settings, observer, signals).ConfigureAwait(false);
            if (adapting is not null)
            {
                await adapting.DisposeAsync().ConfigureAwait(false);
            }

            if (dashboard is not null)
            {
                // Before tear-down: an open page then says the cluster is gone instead of waiting on silos that stop.
                await dashboard.DisposeAsync().ConfigureAwait(false);
            }

            var report = await cluster.ShutdownAsync(ReasonFor(exitCode, signals), signals.Forcing).ConfigureAwait(false);
            if (report.Abandoned)
            {
                return GaveUp(observer, report, cleanupCommand);
            }

            if (!report.Succeeded && exitCode == ExitCodes.Success)
            {
                exitCode = ExitCodes.Failure;
            }

            // Only the run directory this run made (its marker says so), and only when nothing needs its logs.
            if (exitCode == ExitCodes.Success)
            {
                environment.LocalRun?.DeleteIfOwned();
            }

            return exitCode;
        }
    }

    private static async Task<int> RunWorkloadAsync(BatchCluster cluster, IClusterWorkload workload, WorkloadContext context, ManagerSettings settings, ConsoleClusterObserver observer, ShutdownSignals signals)
    {
        // The workload stops on Ctrl+C/SIGTERM, and when too few silos remain to go on.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(signals.Stopping, cluster.Degraded);
        try
        {
            observer.Info($"Cluster {cluster.ClusterId} is ready with {Plural(cluster.Silos.Count, "silo")}; running the {workload.Name} workload");
            await workload.RunAsync(cluster, context, stop.Token).ConfigureAwait(false);
            await Console.Out.FlushAsync().ConfigureAwait(false);
            if (settings.Hold)
            {
                observer.Info("Holding the cluster up; press Ctrl+C (or send SIGTERM) to release it");
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }

            return cluster.Degraded.IsCancellationRequested ? DegradedExit(cluster, observer) : ExitCodes.Success;
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
        {
            return signals.ExitCode ?? ExitCodes.Interrupted;
        }
        catch (Exception) when (cluster.Degraded.IsCancellationRequested)
        {
            return DegradedExit(cluster, observer);
        }
        catch (WorkloadOptionException exception)
        {
            observer.Error(exception.Message);
            return ExitCodes.Usage;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            observer.Error($"the {workload.Name} workload failed: {exception.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Tear-down gave up: say what may still run and the exact command that releases it.</summary>
    private static int GaveUp(ConsoleClusterObserver observer, ClusterTeardownReport report, string cleanupCommand)
    {
        var left = report.StillRunning;
        observer.Error(left.Count == 0
            ? "tear-down gave up before the silos were confirmed stopped; they may still run"
            : $"tear-down gave up with {left.Count} silo(s) possibly still running: {string.Join(", ", left.Take(10))}{(left.Count > 10 ? $" and {left.Count - 10} more" : string.Empty)}");
        observer.Info("The cluster is marked abandoned: its silos stop themselves, 'list' shows it as orphaned, and this releases it now:");
        observer.Info($"  {cleanupCommand}");
        return ExitCodes.TeardownIncomplete;
    }

    private static int DegradedExit(BatchCluster cluster, ConsoleClusterObserver observer)
    {
        observer.Error($"the workload stopped: {cluster.DegradedReason}");
        return ExitCodes.Failure;
    }

    private static string ReasonFor(int exitCode, ShutdownSignals signals) => exitCode switch
    {
        ExitCodes.Success => "the workload finished",
        _ when signals.ExitCode is not null => "stop requested",
        _ => "the workload failed",
    };

    private static void ShowFailedSiloLogs(ConsoleClusterObserver observer, ISiloBackend backend, ClusterLaunchSnapshot? snapshot)
    {
        if (backend is not LocalProcessBackend local)
        {
            return;
        }

        foreach (var silo in snapshot?.Silos.Where(s => s.IsLost).Take(3) ?? [])
        {
            var tail = local.ReadLogTail(silo.Index, 15);
            if (tail.Count == 0)
            {
                continue;
            }

            observer.Info($"Last lines of silo {silo.Index} ({local.LogPathFor(silo.Index)}):");
            foreach (var line in tail)
            {
                observer.Info($"  {line}");
            }
        }
    }

    private static void ShowFailedSiloJobs(ConsoleClusterObserver observer, Func<string, string>? logsCommand, ClusterLaunchSnapshot? snapshot)
    {
        if (logsCommand is null)
        {
            return;
        }

        // The error above says why each silo job failed (status reason, exit code); its log is one command away.
        var failed = snapshot?.Silos.Where(s => s.IsLost).ToList() ?? [];
        if (failed.Count == 0)
        {
            return;
        }

        observer.Info(failed.Count == 1 ? "The failed silo job's log:" : "The failed silo jobs' logs:");
        foreach (var silo in failed.Take(10))
        {
            observer.Info($"  silo {silo.Index}: {logsCommand(silo.Name)}");
        }

        if (failed.Count > 10)
        {
            observer.Info($"  ... and {failed.Count - 10} more (the same command with their job ids)");
        }
    }

    private static void ConfigureManagerLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
    }

    private static void ConfigureClientLogging(ILoggingBuilder logging, bool verbose)
    {
        ConfigureManagerLogging(logging, verbose: false);
        logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Error);

        // A membership store outage is one warning line from our gateway list (which keeps the last list it read).
        logging.AddFilter("Orleans.Batch.Hosting.Membership", verbose ? LogLevel.Information : LogLevel.Warning);
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
