namespace Orleans.Batch.Benchmarks.Results;

/// <summary>Where and when the run happened.</summary>
internal sealed record RunInfo(
    DateTimeOffset Started,
    DateTimeOffset Finished,
    string Commit,
    bool DirtyTree,
    string Mode,
    int Cores,
    double LoadAverageStart,
    double LoadAverageEnd,
    string OperatingSystem,
    string Runtime,
    string Command);
