namespace Orleans.Batch.Application.Commands;

/// <summary>The exact command line that prints a silo job's log, for the manager to show when a silo job fails.</summary>
internal static class LogsCommandLine
{
    /// <summary>This Launcher's <c>logs &lt;job-id&gt;</c> with the region and endpoint the manager used.</summary>
    public static string For(string jobId, string region, string? batchEndpoint)
    {
        var words = new List<string> { "logs", jobId, "--region", region };
        if (batchEndpoint is not null)
        {
            words.AddRange(["--batch-endpoint", batchEndpoint]);
        }

        return ShellCommandLine.ForLauncher(words);
    }
}
