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
            double? ratio = ours is not null && baseline is not null && baseline.Median != 0 ? ours.Median / baseline.Median : null;
            return new ResultRow(
                metric.Key,
                metric.Name,
                ours?.Median,
                baseline?.Median,
                ratio is { } r ? Round(r) : null,
                metric.Unit,
                Math.Min(ours?.Samples ?? 0, baseline?.Samples ?? 0) / metric.SamplesPerRun,
                new RowSpread(ours, baseline),
                metric.HigherIsBetter,
                metric.Target);
        }).ToList();

        var breakdown = measurements.BreakdownGroups()
            .SelectMany(g => g.Items.Select(item => new BreakdownRow(
                g.Group,
                item,
                Spread(measurements.BreakdownSamples(g.Group, item, Side.Ours)),
                Spread(measurements.BreakdownSamples(g.Group, item, Side.Baseline)))))
            .ToList();

        return new ResultsDocument(
            run.Finished,
            run.Commit,
            run.DirtyTree,
            run.Mode,
            run.Command,
            Math.Round((run.Finished - run.Started).TotalSeconds, 1),
            run.Cores,
            new MachineInfo(run.Cores, run.LoadAverageStart, run.LoadAverageEnd, run.OperatingSystem, run.Runtime),
            rows,
            breakdown,
            Findings.Write(rows, breakdown),
            measurements.Notes,
            measurements.Errors);
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
        md.AppendLine("# Benchmarks: Orleans.Batch (ours) vs plain Orleans (baseline)");
        md.AppendLine();
        md.AppendLine(Invariant, $"- date: {document.Date:yyyy-MM-dd HH:mm} UTC; run took {document.DurationSeconds / 60:0.0} min (`{document.Command}`, {document.Mode} set)");
        md.AppendLine(Invariant, $"- commit: `{document.Commit}`{(document.DirtyTree ? " (with uncommitted changes)" : string.Empty)}");
        md.AppendLine(Invariant, $"- machine: {document.Cores} cores, {document.Machine.OperatingSystem}, {document.Machine.Runtime}; 1-min load average {document.Machine.LoadAverageStart:0.0} at the start, {document.Machine.LoadAverageEnd:0.0} at the end");
        md.AppendLine("- every value is the median of the runs (per-process rows: of every silo process of every run); ratio = ours / baseline; spread = min–max over the same samples; repetitions = runs per side; ours and baseline alternate which goes first. See benchmarks/README.md for what each row measures.");
        md.AppendLine();
        md.AppendLine("| name | ours | baseline | ratio | unit | repetitions | spread (ours; baseline) | target |");
        md.AppendLine("| --- | ---: | ---: | ---: | --- | ---: | --- | --- |");
        foreach (var row in document.Rows)
        {
            md.AppendLine(Invariant, $"| {row.Name} | {Format(row.Ours, row.Unit)} | {Format(row.Baseline, row.Unit)} | {FormatRatio(row.Ratio)} | {row.Unit} | {row.Repetitions} | {Range(row.Spread.Ours, row.Unit)}; {Range(row.Spread.Baseline, row.Unit)} | {TargetStatus(row)} |");
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
            md.AppendLine(Invariant, $"### {group.Key}");
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
                md.AppendLine("- " + note);
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
                md.AppendLine("- " + error);
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

        bool? met = row.Target switch
        {
            _ when row.Target.StartsWith("< ", StringComparison.Ordinal) && row.Ours is { } ours =>
                ours < double.Parse(row.Target[2..].Split(' ')[0], Invariant),
            _ when row.Target.StartsWith("≤ ", StringComparison.Ordinal) && row.Ratio is { } ratio =>
                ratio <= double.Parse(row.Target[2..].Split(' ')[0], Invariant),
            _ when row.Target.StartsWith("≥ ", StringComparison.Ordinal) && row.Ratio is { } ratio =>
                ratio >= double.Parse(row.Target[2..].Split(' ')[0], Invariant),
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
            "ms" => v.ToString("0.000", Invariant),
            "MiB" => v.ToString("0.0", Invariant),
            _ => v.ToString("0.00", Invariant),
        };

    private static string FormatRatio(double? ratio) => ratio is { } r ? r.ToString("0.00", Invariant) : "–";

    private static string Range(SideSpread? spread, string unit) => spread is null ? "–" : $"{Format(spread.Min, unit)}–{Format(spread.Max, unit)}";

    private static string Cell(SideSpread? spread) => spread is null
        ? "–"
        : string.Create(Invariant, $"{spread.Median:0.00}; {spread.Min:0.00}–{spread.Max:0.00}");
}
