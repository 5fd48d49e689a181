using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans.Batch.Benchmarks.Clusters;

namespace Orleans.Batch.Benchmarks.Results;

/// <summary>Turns the measurements into results/latest.md and results/latest.json.</summary>
internal static class ReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static ResultsDocument Build(Measurements measurements, RunInfo run)
    {
        var rows = measurements.Metrics.Select(metric =>
        {
            var ours = Spread(measurements.Samples(metric, Side.Ours));
            var baseline = Spread(measurements.Samples(metric, Side.Baseline));

            // Rows without a measured baseline (the Batch control plane) show their target value in its place.
            var baselineValue = baseline?.Median ?? metric.Reference;
            double? ratio = ours is not null && baselineValue is { } b && b != 0 ? ours.Median / b : null;
            var samples = baseline is null ? ours?.Samples ?? 0 : Math.Min(ours?.Samples ?? 0, baseline.Samples);
            return new ResultRow(
                metric.Key,
                metric.Name,
                ours?.Median,
                baselineValue,
                ratio is { } r ? Round(r) : null,
                metric.Unit,
                samples / metric.SamplesPerRun,
                new RowSpread(ours, baseline),
                metric.HigherIsBetter,
                metric.Target,
                metric.BaselineIs,
                run.Commit,
                run.Finished);
        }).ToList();

        var breakdown = measurements.BreakdownGroups()
            .SelectMany(g => g.Items.Select(item => new BreakdownRow(
                g.Group,
                item,
                Spread(measurements.BreakdownSamples(g.Group, item, Side.Ours)),
                Spread(measurements.BreakdownSamples(g.Group, item, Side.Baseline)),
                run.Commit,
                run.Finished)))
            .ToList();

        var machine = new MachineInfo(run.Cores, run.LoadAverageStart, run.LoadAverageEnd, run.OperatingSystem, run.Runtime);
        var duration = Math.Round((run.Finished - run.Started).TotalSeconds, 1);
        return new ResultsDocument(
            run.Finished,
            run.Commit,
            run.DirtyTree,
            run.Mode,
            run.Command,
            duration,
            run.Cores,
            machine,
            [new RunSummary(run.Finished, run.Commit, run.DirtyTree, run.Mode, run.Command, duration, machine)],
            rows,
            breakdown,
            Findings.Write(rows, breakdown),
            [.. measurements.Notes.Select(n => new RunNote(n, run.Commit, run.Finished))],
            [.. measurements.Errors.Select(e => new RunNote(e, run.Commit, run.Finished))]);
    }

    public static async Task WriteAsync(ResultsDocument document, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(document, ResultsJsonContext.Default.ResultsDocument) + "\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), Markdown(document));
    }

    public static string Markdown(ResultsDocument document)
    {
        var md = new StringBuilder();
        var merged = document.Runs.Count > 1;
        string Label(string? commit, DateTimeOffset? date)
        {
            var index = document.Runs.ToList().FindIndex(r => r.Owns(commit, date));
            return index < 0 ? "?" : ((char)('A' + index)).ToString();
        }

        md.AppendLine("# Benchmarks: Orleans.Batch (ours) vs plain Orleans (baseline)");
        md.AppendLine();
        md.AppendLine(Invariant, $"- date: {document.Date:yyyy-MM-dd HH:mm} UTC; run took {document.DurationSeconds / 60:0.0} min (`{document.Command}`, {document.Mode} set)");
        md.AppendLine(Invariant, $"- commit: `{document.Commit}`{(document.DirtyTree ? " (with uncommitted changes)" : string.Empty)}");
        md.AppendLine(Invariant, $"- machine: {document.Cores} cores, {document.Machine.OperatingSystem}, {document.Machine.Runtime}; 1-min load average {document.Machine.LoadAverageStart:0.0} at the start, {document.Machine.LoadAverageEnd:0.0} at the end");
        if (merged)
        {
            md.AppendLine("- the latest run measured only some scenarios (`--only`); the rows of the others are kept from earlier runs. The `run` column says which run measured each row:");
            foreach (var run in document.Runs)
            {
                md.AppendLine(Invariant,
                    $"  - **{Label(run.Commit, run.Date)}**: {run.Date:yyyy-MM-dd HH:mm} UTC, commit `{run.Commit[..Math.Min(7, run.Commit.Length)]}`{(run.DirtyTree ? " (with uncommitted changes)" : string.Empty)}, `{run.Command}` ({run.Mode} set, {run.DurationSeconds / 60:0.0} min), load average {run.Machine.LoadAverageStart:0.0} → {run.Machine.LoadAverageEnd:0.0}");
            }
        }

        md.AppendLine("- every value is the median of the runs (per-process rows: of every silo process of every run); ratio = ours / baseline; spread = min–max over the same samples; repetitions = runs per side; ours and baseline alternate which goes first. See benchmarks/README.md for what each row measures.");
        md.AppendLine("- the baseline column is plain Orleans, except: the control-plane rows have no baseline (AWS Batch has no plain-Orleans counterpart), so it shows their target, marked \"(target)\"; the DynamoDB rows compare ours with DynamoDB membership against ours with the file table; the TLS rows ours with cluster TLS against ours without, and the dashboard rows ours with the dashboard open against ours without; the image rows a silo container against the same silo as a plain process.");
        md.AppendLine();
        md.AppendLine(merged
            ? "| name | ours | baseline | ratio | unit | repetitions | spread (ours; baseline) | target | run |"
            : "| name | ours | baseline | ratio | unit | repetitions | spread (ours; baseline) | target |");
        md.AppendLine(merged
            ? "| --- | ---: | ---: | ---: | --- | ---: | --- | --- | --- |"
            : "| --- | ---: | ---: | ---: | --- | ---: | --- | --- |");
        foreach (var row in document.Rows)
        {
            var baseline = Format(row.Baseline, row.Unit) + (row.BaselineIs == BaselineKinds.Target && row.Baseline is not null ? " (target)" : string.Empty);
            md.Append(Invariant, $"| {row.Name} | {Format(row.Ours, row.Unit)} | {baseline} | {FormatRatio(row.Ratio)} | {row.Unit} | {row.Repetitions} | {Range(row.Spread.Ours, row.Unit)}; {Range(row.Spread.Baseline, row.Unit)} | {TargetStatus(row)} |");
            md.AppendLine(merged ? $" {Label(row.Commit, row.Date)} |" : string.Empty);
        }

        md.AppendLine();
        md.AppendLine("## Where our time goes");
        md.AppendLine();
        foreach (var finding in document.Findings)
        {
            md.AppendLine("- " + finding);
        }

        foreach (var group in document.Breakdown.GroupBy(b => b.Group))
        {
            md.AppendLine();
            var first = group.First();
            md.AppendLine(Invariant, $"### {group.Key}{(merged ? $" (run {Label(first.Commit, first.Date)})" : string.Empty)}");
            md.AppendLine();
            md.AppendLine("| moment or duration | ours (median; min–max) | baseline (median; min–max) |");
            md.AppendLine("| --- | --- | --- |");
            foreach (var row in group)
            {
                md.AppendLine(Invariant, $"| {row.Item} | {Cell(row.Ours)} | {Cell(row.Baseline)} |");
            }
        }

        if (document.Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var note in document.Notes)
            {
                md.AppendLine("- " + (merged ? $"(run {Label(note.Commit, note.Date)}) " : string.Empty) + note.Text);
            }
        }

        md.AppendLine();
        md.AppendLine("## Errors");
        md.AppendLine();
        if (document.Errors.Count == 0)
        {
            md.AppendLine("None: every scenario completed, and no process the harness started was left running.");
        }
        else
        {
            foreach (var error in document.Errors)
            {
                md.AppendLine("- " + (merged ? $"(run {Label(error.Commit, error.Date)}) " : string.Empty) + error.Text);
            }
        }

        return md.ToString();
    }

    private static SideSpread? Spread(IReadOnlyList<double> samples) =>
        Stats.Of(samples) is { } s ? new SideSpread(Round(s.Median), Round(s.Min), Round(s.Max), Round(s.Q1), Round(s.Q3), s.Count) : null;

    private static double Round(double value) => Math.Round(value, 4);

    private static string TargetStatus(ResultRow row)
    {
        if (row.Target is null)
        {
            return string.Empty;
        }

        // "≤ 0.8 × baseline" bounds the ratio; "< 3 s" or "≤ 1 call" bounds ours itself.
        var relative = row.Target.Contains('×', StringComparison.Ordinal);
        var value = relative ? row.Ratio : row.Ours;
        var bound = row.Target.Length > 2 && double.TryParse(row.Target[2..].Split(' ')[0], NumberStyles.Float, Invariant, out var parsed) ? parsed : (double?)null;
        bool? met = (value, bound, row.Target[..Math.Min(2, row.Target.Length)]) switch
        {
            ({ } v, { } b, "< ") => v < b,
            ({ } v, { } b, "≤ ") => v <= b,
            ({ } v, { } b, "> ") => v > b,
            ({ } v, { } b, "≥ ") => v >= b,
            _ => null,
        };
        return met switch
        {
            true => $"{row.Target}: met",
            false => $"{row.Target}: **not met**",
            null => row.Target,
        };
    }

    internal static string Format(double? value, string unit) => value is not { } v
        ? "–"
        : unit switch
        {
            "calls/s" => v.ToString("0", Invariant),
            "calls" => v.ToString("0.#", Invariant),
            "requests/min" => v.ToString("0.0", Invariant),
            "ms" => v.ToString(v < 10 ? "0.000" : "0.0", Invariant),
            "MiB" => v.ToString("0.0", Invariant),
            _ => v.ToString("0.00", Invariant),
        };

    private static string FormatRatio(double? ratio) => ratio is { } r ? r.ToString("0.00", Invariant) : "–";

    private static string Range(SideSpread? spread, string unit) => spread is null ? "–" : $"{Format(spread.Min, unit)}–{Format(spread.Max, unit)}";

    private static string Cell(SideSpread? spread) => spread is null
        ? "–"
        : string.Create(Invariant, $"{spread.Median:0.00}; {spread.Min:0.00}–{spread.Max:0.00}");
}
