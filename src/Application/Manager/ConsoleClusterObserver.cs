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
    /// <summary>Above this many silos, progress is counts by state and the slowest silos, not a line per silo.</summary>
    internal const int LargeCluster = 32;

    private const int Stragglers = 3;
    private static readonly TimeSpan SummaryPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LargeClusterLinePeriod = TimeSpan.FromSeconds(1);
    private static readonly string[] PhaseOrder = ["launching", "submitted", "pending", "runnable", "starting", "started", "joining"];
    private string? _lastLargeSummary;
    private long _lastLargeLine;
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

            if (snapshot.Silos.Count > LargeCluster)
            {
                ReportLargeCluster(snapshot);
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

    public void OnSiloReplacing(LostSilo silo, int used, int budget) =>
        _console.MarkupLineInterpolated($"[yellow]warning:[/] {silo.Silo} was lost ({silo.Reason}); replacing it (replacement {used} of {budget}, --replace-lost)");

    public void OnSiloAdded(ClusterSilo silo) => _console.MarkupLineInterpolated($"[grey]{silo} joined the cluster[/]");

    public void OnSiloRemoved(ClusterSilo silo, string reason) => _console.MarkupLineInterpolated($"[grey]{silo} left the cluster: {reason}[/]");

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

    // A thousand silos: a silo that failed still gets its own line (its reason and logs matter); the rest is one line
    // of counts by state with the slowest silos, when it changed, at most once a second.
    private void ReportLargeCluster(ClusterLaunchSnapshot snapshot)
    {
        foreach (var silo in snapshot.Silos.Where(s => s.IsLost))
        {
            var phase = silo.Describe();
            if (!_lastPhases.TryGetValue(silo.Index, out var last) || last != phase)
            {
                _lastPhases[silo.Index] = phase;
                _console.MarkupLineInterpolated($"[grey]{Stamp(snapshot.Elapsed)}[/] silo {silo.Index} ({silo.Name}): {phase}");
            }
        }

        var summary = LargeClusterSummary(snapshot);
        var due = _time.GetElapsedTime(_lastLargeLine) >= LargeClusterLinePeriod;
        if ((summary != _lastLargeSummary && due) || _time.GetElapsedTime(_lastSummary) >= SummaryPeriod)
        {
            _lastLargeSummary = summary;
            _lastLargeLine = _lastSummary = _time.GetTimestamp();
            _console.MarkupLineInterpolated($"[grey]{Stamp(snapshot.Elapsed)}[/] {summary} ({DurationText.Format(snapshot.Elapsed)} of {DurationText.Format(snapshot.Timeout)})");
        }
    }

    /// <summary>Counts by state, then the least advanced silos still on their way, e.g. <c>850/1000 active, 150 joining; slowest: silo 17 (runnable (...))</c>.</summary>
    internal static string LargeClusterSummary(ClusterLaunchSnapshot snapshot)
    {
        var slowest = snapshot.Silos
            .Where(s => !s.IsActive && !s.IsLost)
            .OrderBy(s => Array.IndexOf(PhaseOrder, s.Phase) is var i and >= 0 ? i : PhaseOrder.Length)
            .ThenBy(s => s.Index)
            .Take(Stragglers)
            .Select(s => $"silo {s.Index} ({s.Describe()})")
            .ToList();
        return slowest.Count == 0 ? snapshot.Summary() : $"{snapshot.Summary()}; slowest: {string.Join(", ", slowest)}";
    }

    private static void Render(ClusterLaunchSnapshot snapshot, Table table)
    {
        table.Rows.Clear();
        if (snapshot.Silos.Count > LargeCluster)
        {
            // One row per state and one per straggler: a thousand rows would not fit any screen.
            foreach (var group in snapshot.Silos.GroupBy(s => s.Phase).OrderByDescending(g => g.Count()))
            {
                var color = group.Key == "active" ? "green" : group.First().IsLost ? "red" : "yellow";
                table.AddRow(new IRenderable[] { new Text(group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text("silos"), new Markup($"[{color}]{Markup.Escape(group.Key)}[/]") });
            }

            table.Caption(Markup.Escape($"{LargeClusterSummary(snapshot)} · {DurationText.Format(snapshot.Elapsed)} of {DurationText.Format(snapshot.Timeout)}"));
            return;
        }

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
