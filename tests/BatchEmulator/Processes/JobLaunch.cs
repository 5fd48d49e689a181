namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>Everything needed to start one job attempt's process.</summary>
internal sealed record JobLaunch(
    string JobId,
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);
