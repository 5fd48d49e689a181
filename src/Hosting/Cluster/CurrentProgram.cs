using System.Reflection;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>How to start this same program again: its app host, or <c>dotnet</c> and its dll.</summary>
public static class CurrentProgram
{
    /// <summary>The program and the arguments that come before this program's own (the dll, when run by <c>dotnet</c>).</summary>
    /// <returns>The file name and the leading arguments.</returns>
    /// <exception cref="InvalidOperationException">The running program cannot be told.</exception>
    public static (string FileName, IReadOnlyList<string> Arguments) Get()
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
            ? throw new InvalidOperationException("Cannot find the program's assembly to start it again.")
            : (processPath, [entry]);
    }

    /// <summary>This program followed by <paramref name="arguments"/>, as one list.</summary>
    /// <param name="arguments">The arguments after the program's own.</param>
    /// <returns>The command.</returns>
    public static IReadOnlyList<string> Command(params string[] arguments)
    {
        var (fileName, leading) = Get();
        return [fileName, .. leading, .. arguments];
    }
}
