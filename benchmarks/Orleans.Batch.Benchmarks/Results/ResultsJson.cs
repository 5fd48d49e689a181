using System.Text.Json.Serialization;

namespace Orleans.Batch.Benchmarks.Results;

internal sealed record SideSpread(double Median, double Min, double Max, double Q1, double Q3, int Samples);

internal sealed record RowSpread(SideSpread? Ours, SideSpread? Baseline);

/// <summary>One row of the table.</summary>
/// <param name="Id">The row's stable identifier.</param>
/// <param name="Name">The row's name in the table.</param>
/// <param name="Ours">Ours' median.</param>
/// <param name="Baseline">The baseline's median; for <see cref="BaselineKinds.Target"/> rows, the target value.</param>
/// <param name="Ratio">Ours / baseline.</param>
/// <param name="Unit">The unit of the values.</param>
/// <param name="Repetitions">Runs per side.</param>
/// <param name="Spread">Both sides' order statistics.</param>
/// <param name="HigherIsBetter">True for throughput.</param>
/// <param name="Target">What we work towards, or null.</param>
/// <param name="BaselineIs">What <paramref name="Baseline"/> is (<see cref="BaselineKinds"/>).</param>
/// <param name="Commit">The commit of the run that measured this row (rows of earlier runs are kept by <c>--only</c> runs).</param>
/// <param name="Date">When that run finished.</param>
internal sealed record ResultRow(
    string Id,
    string Name,
    double? Ours,
    double? Baseline,
    double? Ratio,
    string Unit,
    int Repetitions,
    RowSpread Spread,
    bool HigherIsBetter,
    string? Target,
    string? BaselineIs,
    string? Commit,
    DateTimeOffset? Date);

internal sealed record BreakdownRow(string Group, string Item, SideSpread? Ours, SideSpread? Baseline, string? Commit = null, DateTimeOffset? Date = null);

internal sealed record MachineInfo(int Cores, double LoadAverageStart, double LoadAverageEnd, string OperatingSystem, string Runtime);

/// <summary>One run whose rows the document holds.</summary>
internal sealed record RunSummary(DateTimeOffset Date, string Commit, bool DirtyTree, string Mode, string Command, double DurationSeconds, MachineInfo Machine)
{
    public bool Owns(string? commit, DateTimeOffset? date) => commit == Commit && date == Date;
}

/// <summary>A note or an error, with the run that wrote it.</summary>
internal sealed record RunNote(string Text, string Commit, DateTimeOffset Date);

/// <summary>
/// results/latest.json. The top-level date, commit, mode, command, duration and machine are the latest run's; when
/// a run measured only some scenarios (<c>--only</c>), the rows of earlier runs it did not measure are kept, each with
/// its own commit and date, and <see cref="Runs"/> lists every run the rows come from (the latest first).
/// </summary>
internal sealed record ResultsDocument(
    DateTimeOffset Date,
    string Commit,
    bool DirtyTree,
    string Mode,
    string Command,
    double DurationSeconds,
    int Cores,
    MachineInfo Machine,
    IReadOnlyList<RunSummary> Runs,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<BreakdownRow> Breakdown,
    IReadOnlyList<string> Findings,
    IReadOnlyList<RunNote> Notes,
    IReadOnlyList<RunNote> Errors);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ResultsDocument))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
