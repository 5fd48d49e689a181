using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Cluster.Backends.Local;

/// <summary>How the local backend starts silo processes.</summary>
internal sealed class LocalProcessBackendOptions
{
    /// <summary>The program that runs a silo (the Launcher executable, or <c>dotnet</c>).</summary>
    public required string FileName { get; init; }

    /// <summary>Its arguments, e.g. <c>["silo"]</c> or <c>["Orleans.Batch.Launcher.dll", "silo"]</c>.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Where each silo's output is kept, one file per silo (<c>silo-&lt;index&gt;.log</c>).</summary>
    public required string LogDirectory { get; init; }

    /// <summary>Extra environment variables for every silo process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Adjusts one silo's environment before it starts (index, variables), e.g. to attach a debugger to one
    /// silo or give it different settings.
    /// </summary>
    public Action<int, IDictionary<string, string>>? ConfigureSilo { get; init; }

    /// <summary>Receives silo output lines at or above <see cref="ForwardLevel"/>, e.g. to show them on the console.</summary>
    public Action<SiloOutputLine>? OnOutput { get; init; }

    /// <summary>The lowest level of silo output passed to <see cref="OnOutput"/>. Default: errors.</summary>
    public LogLevel ForwardLevel { get; init; } = LogLevel.Error;
}
