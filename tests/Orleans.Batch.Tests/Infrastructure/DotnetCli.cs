using System.Diagnostics;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>The <c>dotnet</c> command line (the same SDK that runs the tests), for tests that pack, publish or build.</summary>
public static class DotnetCli
{
    /// <summary>Runs <c>dotnet ARGS</c> and returns its exit code and its stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(BatchEmulatorFixture.DotnetHost())
        {
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
