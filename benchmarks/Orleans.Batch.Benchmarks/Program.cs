using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Benchmarks;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Benchmarks.Results;
using Orleans.Batch.Benchmarks.Scenarios;

// Orleans.Batch.Benchmarks [--quick] [--repetitions N] [--throughput-repetitions N] [--failure-repetitions N]
//                          [--only launch,throughput,failure,diagnostics,controlplane,dynamodb,container,tls,dashboard,scale]
//                          [--scale-real 4,16,32|none] [--scale-simulated 16,32,100,1000|none] [--out DIR] [--keep-logs] [--no-diagnostics]
//                          [--launcher PATH] [--baseline-silo PATH]
// Measures ours (the Orleans.Batch hosting API) against plain Orleans in the same run; see benchmarks/README.md.

var arguments = Arguments.Parse(args);
if (arguments is null)
{
    await Console.Error.WriteLineAsync("usage: Orleans.Batch.Benchmarks [--quick] [--repetitions N] [--throughput-repetitions N] [--failure-repetitions N] [--only launch,throughput,failure,diagnostics,controlplane,dynamodb,container,tls,dashboard,scale] [--scale-real SIZES|none] [--scale-simulated SIZES|none] [--out DIR] [--keep-logs] [--no-diagnostics] [--launcher PATH] [--baseline-silo PATH]");
    return 2;
}

var marker = ProcessMarker.Ensure();
var paths = HarnessPaths.Discover(arguments.Launcher, arguments.BaselineSilo);
var settings = arguments.Settings;
var started = DateTimeOffset.UtcNow;
var loadAtStart = ProcessTable.LoadAverage();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var loggerFactory = LoggerFactory.Create(logging =>
{
    logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    });
    logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    logging.SetMinimumLevel(LogLevel.Warning);
});

var measurements = new Measurements();
var context = new ScenarioContext(paths, loggerFactory, measurements, settings, Console.Out, cancel.Token);
context.Report($"Benchmarks ({(settings.Quick ? "quick" : "full")} set): ours = {paths.Launcher} silo; baseline = {paths.BaselineSilo}; {Environment.ProcessorCount} cores, load average {loadAtStart:0.0}; process marker {ProcessMarker.Variable}={marker}");

// Untimed: the first start of each executable pays for a cold disk cache; neither side should.
if (settings.Runs("launch") || settings.Runs("throughput") || settings.Runs("failure") || settings.Runs("diagnostics") || settings.Runs("dynamodb") || settings.Runs("tls") || settings.Runs("dashboard"))
{
    await RunAsync("warm-up", async () =>
    {
        await LaunchScenario.RunAsync(context, Side.Ours, 1, measured: false);
        await LaunchScenario.RunAsync(context, Side.Baseline, 1, measured: false);
    });
}

for (var repetition = 0; repetition < settings.Repetitions && !cancel.IsCancellationRequested; repetition++)
{
    // Alternate which side goes first, so a slow phase of the machine does not always hit the same side.
    Side[] order = repetition % 2 == 0 ? [Side.Ours, Side.Baseline] : [Side.Baseline, Side.Ours];
    foreach (var size in settings.Runs("launch") ? settings.LaunchSizes : [])
    {
        foreach (var side in order)
        {
            await RunAsync($"repetition {repetition + 1}/{settings.Repetitions}: launch {size} ({side})", () => LaunchScenario.RunAsync(context, side, size));
        }
    }

    if (repetition < settings.ThroughputRepetitions && settings.Runs("throughput"))
    {
        await RunAsync($"repetition {repetition + 1}/{settings.Repetitions}: throughput ({order[0]} and {order[1]} side by side)", () => ThroughputScenario.RunAsync(context, order));
    }

    if (repetition < settings.FailureRepetitions && settings.Runs("failure"))
    {
        foreach (var side in order)
        {
            await RunAsync($"repetition {repetition + 1}/{settings.Repetitions}: failure ({side})", () => FailureScenario.RunAsync(context, side));
        }
    }
}

if (settings.Runs("controlplane"))
{
    // Untimed: JIT of the client, the backend and the emulator.
    await RunAsync("control plane: warm-up (100 silos, unmeasured)", () => ControlPlaneScenario.RunAsync(context, 100, measured: false));
    for (var repetition = 0; repetition < settings.ControlPlaneRepetitions && !cancel.IsCancellationRequested; repetition++)
    {
        foreach (var size in settings.ControlPlaneSizes)
        {
            await RunAsync($"repetition {repetition + 1}/{settings.ControlPlaneRepetitions}: control plane, {size} silos (AWS Batch emulator, simulated)", () => ControlPlaneScenario.RunAsync(context, size));
        }
    }
}

if (settings.Runs("dynamodb"))
{
    // One step: DynamoDB Local lives from the first of its clusters to the last, and the leftover check runs after it.
    await RunAsync($"DynamoDB membership: DynamoDB Local, an idle cluster, then {settings.DynamoDBRepetitions} repetition(s) of DynamoDB and file table alternating", () => DynamoDBScenario.RunAsync(context));
}

IReadOnlyList<Orleans.Batch.Benchmarks.Scale.ScaleResult>? scale = null;
if (settings.Runs("scale"))
{
    // The scale scenario is not in the default set: it takes 10-30 minutes (run it with --only scale).
    await RunAsync($"scale: membership of {string.Join(", ", settings.ScaleRealSizes)} real and {string.Join(", ", settings.ScaleSimulatedSizes)} simulated silos on DynamoDB Local with one partition's limits", async () =>
        scale = await Orleans.Batch.Benchmarks.Scale.ScaleScenario.RunAsync(context, settings.ScaleRealSizes, settings.ScaleSimulatedSizes, settings.ScaleJoinLimit));
}

if (settings.Runs("tls"))
{
    for (var repetition = 0; repetition < settings.ThroughputRepetitions && !cancel.IsCancellationRequested; repetition++)
    {
        var round = repetition;
        await RunAsync($"repetition {repetition + 1}/{settings.ThroughputRepetitions}: TLS, ours with cluster TLS and without, side by side", () => FeatureCostScenario.RunAsync(context, CostedFeature.ClusterTls, round));
    }
}

if (settings.Runs("dashboard"))
{
    for (var repetition = 0; repetition < settings.ThroughputRepetitions && !cancel.IsCancellationRequested; repetition++)
    {
        var round = repetition;
        await RunAsync($"repetition {repetition + 1}/{settings.ThroughputRepetitions}: dashboard, ours with the dashboard open and without, side by side", () => FeatureCostScenario.RunAsync(context, CostedFeature.OrleansDashboard, round));
        await RunAsync($"repetition {repetition + 1}/{settings.ThroughputRepetitions}: dashboard, ours with the dashboard enabled but no page open and without, side by side", () => FeatureCostScenario.RunAsync(context, CostedFeature.OrleansDashboardClosed, round));
    }
}

if (settings.Runs("container"))
{
    await RunAsync("container: image size, and one silo's start to Active as a container against a plain process", () => ContainerScenario.RunAsync(context));
}

for (var repetition = 0; settings.Diagnostics && settings.Runs("diagnostics") && repetition < settings.DiagnosticRepetitions && !cancel.IsCancellationRequested; repetition++)
{
    var round = repetition;
    await RunAsync($"diagnostic {repetition + 1}/{settings.DiagnosticRepetitions}: membership write conflicts of ours", () => ContentionDiagnostic.RunAsync(context, round));
}

if (cancel.IsCancellationRequested)
{
    measurements.Error("The run was interrupted (Ctrl+C); the results are incomplete.");
}

var leftovers = ProcessMarker.FindLeftovers();
if (leftovers.Count > 0)
{
    measurements.Error($"Processes started by the harness were still running at the end (now killed): {string.Join("; ", leftovers.Select(ProcessTable.Describe))}");
    KillAll(leftovers);
}

var run = new RunInfo(
    started,
    DateTimeOffset.UtcNow,
    Git(paths.RepositoryRoot, "rev-parse", "HEAD"),
    Git(paths.RepositoryRoot, "status", "--porcelain", "--untracked-files=no").Length > 0,
    settings.Quick ? "quick" : "full",
    Environment.ProcessorCount,
    loadAtStart,
    ProcessTable.LoadAverage(),
    RuntimeInformation.OSDescription,
    RuntimeInformation.FrameworkDescription,
    "benchmarks/run.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : string.Empty));
var document = ReportWriter.Build(measurements, run);
var outDirectory = arguments.OutDirectory ?? Path.Combine(paths.RepositoryRoot, "benchmarks", "results");

// A run of some scenarios only keeps the other scenarios' rows of the previous results (with their own commit and date).
var previous = settings.Only is null ? null : ResultsMerge.ReadPrevious(Path.Combine(outDirectory, "latest.json"));
if (previous is not null)
{
    document = ResultsMerge.Merge(document, previous);
}

await ReportWriter.WriteAsync(document, outDirectory);
if (scale is { Count: > 0 })
{
    var scaleFile = await Orleans.Batch.Benchmarks.Scale.ScaleReportWriter.WriteAsync(scale, Git(paths.RepositoryRoot, "rev-parse", "HEAD"), outDirectory);
    context.Report($"Wrote {scaleFile}");
}

// latest.md keeps the scale section of the last scale run (scale.json), whichever scenarios ran this time.
await Orleans.Batch.Benchmarks.Scale.ScaleReportWriter.AppendToMarkdownAsync(outDirectory);
context.Report($"Wrote {Path.Combine(outDirectory, "latest.md")} and latest.json" + (previous is null ? string.Empty : $" (merged with the previous results: rows from {document.Runs.Count} run(s))"));
Console.WriteLine();
Console.WriteLine(ReportWriter.Markdown(document).Split("\n## Where our time goes", 2)[0]);

if (measurements.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"FAILED: {measurements.Errors.Count} error(s):");
    foreach (var error in measurements.Errors)
    {
        await Console.Error.WriteLineAsync("  " + error);
    }

    return 1;
}

return 0;

async Task RunAsync(string name, Func<Task> scenario)
{
    if (cancel.IsCancellationRequested)
    {
        return;
    }

    context.Report(name);
    try
    {
        await scenario();
    }
    catch (Exception exception) when (exception is not OutOfMemoryException)
    {
        measurements.Error($"{name}: {exception.GetType().Name}: {exception.Message}");
        context.Report($"  FAILED: {exception}");
    }

    // Every scenario stops what it started; check now, so a leak is pinned on the scenario that made it.
    var left = await WaitForNoneLeftAsync(TimeSpan.FromSeconds(10));
    if (left.Count > 0)
    {
        measurements.Error($"{name}: processes left running after the scenario (now killed): {string.Join("; ", left.Select(ProcessTable.Describe))}");
        KillAll(left);
    }
}

static async Task<IReadOnlyList<int>> WaitForNoneLeftAsync(TimeSpan timeout)
{
    var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    while (true)
    {
        var left = ProcessMarker.FindLeftovers();
        if (left.Count == 0 || Stopwatch.GetTimestamp() > deadline)
        {
            return left;
        }

        await Task.Delay(100);
    }
}

static void KillAll(IEnumerable<int> processIds)
{
    foreach (var pid in processIds)
    {
        Signals.Send(pid, Signals.Kill);
    }
}

static string Git(string repository, params string[] gitArguments)
{
    try
    {
        var startInfo = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
        foreach (var argument in gitArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var git = Process.Start(startInfo)!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? output : "unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown";
    }
}

internal sealed record Arguments(BenchmarkSettings Settings, string? OutDirectory, string? Launcher, string? BaselineSilo)
{
    public static Arguments? Parse(string[] args)
    {
        var settings = BenchmarkSettings.Full;
        string? outDirectory = null, launcher = null, baselineSilo = null;
        int? repetitions = null, failureRepetitions = null, throughputRepetitions = null;
        var diagnostics = (bool?)null;
        var keepLogs = false;
        IReadOnlySet<string>? only = null;
        IReadOnlyList<int>? scaleReal = null, scaleSimulated = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--quick":
                    settings = BenchmarkSettings.QuickSet;
                    break;
                case "--repetitions" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    repetitions = r;
                    break;
                case "--failure-repetitions" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var f):
                    failureRepetitions = f;
                    break;
                case "--throughput-repetitions" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var t):
                    throughputRepetitions = t;
                    break;
                case "--only" when Next() is { } o && o.Split(',').All(BenchmarkSettings.ScenarioNames.Contains):
                    only = o.Split(',').ToHashSet(StringComparer.Ordinal);
                    break;
                case "--scale-real" when Sizes(Next()) is { } sizes:
                    scaleReal = sizes;
                    break;
                case "--scale-simulated" when Sizes(Next()) is { } sizes:
                    scaleSimulated = sizes;
                    break;
                case "--keep-logs":
                    keepLogs = true;
                    break;
                case "--no-diagnostics":
                    diagnostics = false;
                    break;
                case "--out" when Next() is { } o:
                    outDirectory = Path.GetFullPath(o);
                    break;
                case "--launcher" when Next() is { } l:
                    launcher = Path.GetFullPath(l);
                    break;
                case "--baseline-silo" when Next() is { } b:
                    baselineSilo = Path.GetFullPath(b);
                    break;
                default:
                    return null;
            }
        }

        settings = settings with
        {
            Repetitions = repetitions ?? settings.Repetitions,
            FailureRepetitions = failureRepetitions ?? Math.Min(settings.FailureRepetitions, repetitions ?? settings.Repetitions),
            ThroughputRepetitions = throughputRepetitions ?? Math.Min(settings.ThroughputRepetitions, repetitions ?? settings.Repetitions),
            ControlPlaneRepetitions = Math.Min(settings.ControlPlaneRepetitions, repetitions ?? settings.ControlPlaneRepetitions),
            DynamoDBRepetitions = Math.Min(settings.DynamoDBRepetitions, repetitions ?? settings.DynamoDBRepetitions),
            Diagnostics = diagnostics ?? settings.Diagnostics,
            KeepLogs = keepLogs,
            Only = only,
            ScaleRealSizes = scaleReal ?? settings.ScaleRealSizes,
            ScaleSimulatedSizes = scaleSimulated ?? settings.ScaleSimulatedSizes,
        };
        return new Arguments(settings, outDirectory, launcher, baselineSilo);
    }

    // "4,16,32", or "none" for no size.
    private static List<int>? Sizes(string? text)
    {
        if (text == "none")
        {
            return [];
        }

        var sizes = (text ?? string.Empty).Split(',').Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 10_000 ? n : 0).ToList();
        return sizes.Count > 0 && sizes.All(n => n > 0) ? sizes : null;
    }
}
