using Orleans.Batch.Launcher.Manager;

namespace Orleans.Batch.Launcher.Commands;

/// <summary>The exact command line that prints a silo job's log, for the manager to show when a silo job fails.</summary>
internal static class LogsCommandLine
{
    /// <summary>This Launcher's <c>logs &lt;job-id&gt;</c> with the region and endpoint the manager used.</summary>
    public static string For(string jobId, string region, string? batchEndpoint)
    {
        var (fileName, arguments) = LauncherExecutable.Current();
        var words = new List<string> { fileName };
        words.AddRange(arguments);
        words.AddRange(["logs", jobId, "--region", region]);
        if (batchEndpoint is not null)
        {
            words.AddRange(["--batch-endpoint", batchEndpoint]);
        }

        return string.Join(' ', words.Select(Quote));
    }

    // POSIX shell quoting, only where needed.
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '=' or '@' or ',' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
