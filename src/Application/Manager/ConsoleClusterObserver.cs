using System.Collections.Concurrent;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orleans.Batch.Application.Manager;

/// <summary>
/// Shows the cluster's progress on the console (standard error, so standard output carries only the
/// workload's results): a live table on a terminal, one line per change otherwise (CI, logs, pipes).
/// </summary>
internal sealed class ConsoleClusterObserver : IClusterLaunchObserver
{
    private static readonly TimeSpan SummaryPeriod = TimeSpan.FromSeconds(5);
    private readonly IAnsiConsole _console;
    private readonly TimeProvider _time;
    private readonly Dictionary<int, string> _lastPhases = [];
    private readonly ConcurrentQueue<SiloOutputLine> _heldSiloOutput = new();
    private readonly Lock _gate = new();
    private long _lastSummary;
    private LiveDisplayContext? _live;
    private Table? _table;

    public ConsoleClusterObserver(IAnsiConsole console, TimeProvider time)
    {
        _console = console;
        _time = time;
        _lastSummary = time.GetTimestamp();
    }

    /// <summary>True when the console is a terminal that can redraw a live table.</summary>
    public bool IsInteractive => _console.Profile.Capabilities.Interactive && _console.Profile.Capabilities.Ansi;

    /// <summary>Runs <paramref name="launch"/> under a live progress table when the console is interactive.</summary>
    public async Task<T> ShowLaunchAsync<T>(Func<Task<T>> launch)
    {
        if (!IsInteractive)
        {
            return await launch().ConfigureAwait(false);
        }

        _table = new Table().Border(TableBorder.Rounded).AddColumns("silo", "name", "state");
        try
        {
            return await _console.Live(_table).AutoClear(false).StartAsync(async context =>
            {
                _live = context;
                return await launch().ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            _live = null;
            while (_heldSiloOutput.TryDequeue(out var line))
            {
                WriteSiloLine(line);
            }
        }
    }

    public void OnProgress(ClusterLaunchSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_live is not null && _table is not null)
            {
                Render(snapshot, _table);
                _live.Refresh();
                return;
            }

            foreach (var silo in snapshot.Silos)
            {
                var phase = silo.Describe();
                if (!_lastPhases.TryGetValue(silo.Index, out var last) || last != phase)
                {
                    _lastPhases[silo.Index] = phase;
                    _console.MarkupLineInterpolated($"[grey]{Stamp(snapshot.Elapsed)}[/] silo {silo.Index} ({silo.Name}): {phase}");
                }
            }

            if (_time.GetElapsedTime(_lastSummary) >= SummaryPeriod)
            {
                _lastSummary = _time.GetTimestamp();
                _console.MarkupLineInterpolated($"[grey]{Stamp(snapshot.Elapsed)}[/] waiting: {snapshot.Summary()} ({DurationText.Format(snapshot.Elapsed)} of {DurationText.Format(snapshot.Timeout)})");
            }
        }
    }

    public void OnWarning(string message) => _console.MarkupLineInterpolated($"[yellow]warning:[/] {message}");

    /// <summary>For Batch silos: the command that prints a silo job's log, by silo name (its job id).</summary>
    public Func<string, string>? LogsCommand { get; set; }

    public void OnSiloLost(LostSilo silo)
    {
        var logs = LogsCommand is { } command ? $"; its log: {command(silo.Silo.Name)}"
            : silo.LogLocation is { Length: > 0 } location ? $"; logs: {location}"
            : string.Empty;
        _console.MarkupLineInterpolated($"[yellow]warning:[/] {silo.Silo} was lost: {silo.Reason}{logs}");
    }

    public void OnTeardownStarted(string reason) => _console.MarkupLineInterpolated($"[grey]Releasing the cluster ({reason})...[/]");

    public void OnTeardownCompleted(ClusterTeardownReport report)
    {
        var backend = report.Backend?.Description ?? "silos: unknown";
        if (report.Abandoned)
        {
            _console.MarkupLineInterpolated($"[red]Tear-down gave up after {DurationText.Format(report.Elapsed)}:[/] {backend}; the lease is marked abandoned and the membership rows are kept.");
        }
        else
        {
            var membership = report.MembershipDeleted ? "membership rows deleted" : "membership rows NOT deleted";
            _console.MarkupLineInterpolated($"[grey]Released in {DurationText.Format(report.Elapsed)}: {backend}; {membership}.[/]");
        }

        foreach (var error in report.Errors)
        {
            _console.MarkupLineInterpolated($"[red]error:[/] {error}");
        }
    }

    /// <summary>Shows a line of silo output (held back while the live table is drawn).</summary>
    public void OnSiloOutput(SiloOutputLine line)
    {
        if (_live is not null)
        {
            _heldSiloOutput.Enqueue(line);
            while (_heldSiloOutput.Count > 200 && _heldSiloOutput.TryDequeue(out _))
            {
            }

            return;
        }

        WriteSiloLine(line);
    }

    public void Info(string message) => _console.MarkupLineInterpolated($"{message}");

    /// <inheritdoc />
    public void OnInfo(string message) => Info(message);

    public void Error(string message) => _console.MarkupLineInterpolated($"[red]error:[/] {message}");

    private void WriteSiloLine(SiloOutputLine line)
    {
        lock (_gate)
        {
            _console.MarkupLineInterpolated($"[grey][[silo {line.Index}]][/] {line.Text}");
        }
    }

    private static void Render(ClusterLaunchSnapshot snapshot, Table table)
    {
        table.Rows.Clear();
        foreach (var silo in snapshot.Silos.Take(50))
        {
            var color = silo.IsActive ? "green" : silo.IsLost ? "red" : "yellow";
            table.AddRow(new IRenderable[]
            {
                new Text(silo.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(silo.Name),
                new Markup($"[{color}]{Markup.Escape(silo.Describe())}[/]"),
            });
        }

        var more = snapshot.Silos.Count > 50 ? $" (first 50 of {snapshot.Silos.Count} shown)" : string.Empty;
        table.Caption($"{snapshot.Summary()} · {DurationText.Format(snapshot.Elapsed)} of {DurationText.Format(snapshot.Timeout)}{more}");
    }

    private static string Stamp(TimeSpan elapsed) => $"[{elapsed.TotalSeconds,6:0.0}s]";
}
