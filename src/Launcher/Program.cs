using System.CommandLine;
using Orleans.Batch.Launcher.Cli;
using Orleans.Batch.Launcher.Manager;
using Orleans.Batch.Launcher.SiloRole;

namespace Orleans.Batch.Launcher;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = LauncherCommandLine.Build(
            (settings, _) => ManagerRunner.RunAsync(settings),
            (siloArgs, _) => SiloRoleRunner.RunAsync(siloArgs));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"error: {LauncherCommandLine.DescribeError(parse)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Both roles handle SIGINT/SIGTERM themselves (the manager tears down; the silo host stops gracefully).
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
