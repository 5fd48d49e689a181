namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>Everything needed to start one job attempt's process.</summary>
internal sealed record JobLaunch(
    string JobId,
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    /// <summary>The container the process runs (container mode); null when the process is the job itself.</summary>
    public string? ContainerName { get; init; }
}
