using System.Reflection;

namespace Orleans.Batch.Application.Manager;

/// <summary>How to start this same Launcher again (for silo processes): its app host, or <c>dotnet</c> plus its dll.</summary>
internal static class LauncherExecutable
{
    public static (string FileName, IReadOnlyList<string> Arguments) Current()
    {
        var processPath = Environment.ProcessPath
            ?? throw new InvalidOperationException("Cannot tell which program is running: Environment.ProcessPath is not set.");
        var isDotnetHost = string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase);
        if (!isDotnetHost)
        {
            return (processPath, []);
        }

        var entry = Assembly.GetEntryAssembly()?.Location;
        return string.IsNullOrEmpty(entry)
            ? throw new InvalidOperationException("Cannot find the Launcher's assembly to start silo processes.")
            : (processPath, [entry]);
    }
}
