using System.Text.Json.Serialization;

namespace Orleans.Batch.Benchmarks.Results;

internal sealed record SideSpread(double Median, double Min, double Max, double Q1, double Q3, int Samples);

internal sealed record RowSpread(SideSpread? Ours, SideSpread? Baseline);

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
    string? Target);

internal sealed record BreakdownRow(string Group, string Item, SideSpread? Ours, SideSpread? Baseline);

internal sealed record MachineInfo(int Cores, double LoadAverageStart, double LoadAverageEnd, string OperatingSystem, string Runtime);

internal sealed record ResultsDocument(
    DateTimeOffset Date,
    string Commit,
    bool DirtyTree,
    string Mode,
    string Command,
    double DurationSeconds,
    int Cores,
    MachineInfo Machine,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<BreakdownRow> Breakdown,
    IReadOnlyList<string> Findings,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Errors);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ResultsDocument))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
