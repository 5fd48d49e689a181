using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Cluster.Backends.Local;

/// <summary>A line a silo process wrote, with the level it was logged at.</summary>
/// <param name="Index">The silo's index.</param>
/// <param name="Level">The log level (lines that continue an entry, such as stack traces, inherit its level).</param>
/// <param name="Text">The line.</param>
public sealed record SiloOutputLine(int Index, LogLevel Level, string Text);
