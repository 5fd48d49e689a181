namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>One silo process of a benchmark cluster.</summary>
/// <param name="Index">0-based index (on the baseline, silo 0 is the primary that holds the membership table).</param>
/// <param name="Name">The Orleans silo name, the key of its silo-targeted grains.</param>
/// <param name="ProcessId">Its process id.</param>
/// <param name="LogPath">Where its console output goes.</param>
internal sealed record BenchSilo(int Index, string Name, int ProcessId, string LogPath);
