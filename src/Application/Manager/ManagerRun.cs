using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Cluster;
using Spectre.Console;

namespace Orleans.Batch.Application.Manager;

/// <summary>What every step of one manager run shares: its console, signals, dashboard and usage record.</summary>
internal sealed record ManagerRun(
    IAnsiConsole Console,
    ConsoleClusterObserver Observer,
    ILoggerFactory LoggerFactory,
    ShutdownSignals Signals,
    Dashboard.ManagerDashboard? Dashboard,
    Reporting.RunUsageRecorder Usage,
    TimeProvider Time)
{
    /// <summary>The run's environment, once made (the report names its cluster, backend and silo size).</summary>
    public BatchClusterEnvironment? Environment { get; set; }
}
