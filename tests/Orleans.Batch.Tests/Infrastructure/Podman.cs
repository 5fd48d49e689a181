using System.Diagnostics;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// The podman command line, as the container tests use it. A missing podman fails the test with the command that
/// installs it (CI's .ci/run installs it up front).
/// </summary>
public static class Podman
{
    /// <summary>Runs <c>podman ARGS</c> and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("podman")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("podman is not installed: apt-get install -y podman runc debootstrap (as root; .ci/run does this).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"podman {string.Join(' ', info.ArgumentList)} did not finish in time");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Runs <c>podman ARGS</c>, fails on a non-zero exit, and returns stdout trimmed.</summary>
    public static async Task<string> CheckedAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(arguments);
        exitCode.ShouldBe(0, $"podman {string.Join(' ', arguments)}: {stderr}");
        return stdout.Trim();
    }

    /// <summary>The names of the containers, running or not, whose label matches <paramref name="label"/> (KEY or KEY=VALUE).</summary>
    public static async Task<IReadOnlyList<string>> ContainersAsync(string label)
    {
        var names = await CheckedAsync("ps", "--all", "--filter", $"label={label}", "--format", "{{.Names}}");
        return names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Removes the containers a test started, whatever state they are in.</summary>
    public static async Task RemoveAsync(params string[] names)
    {
        if (names.Length > 0)
        {
            await RunAsync(["rm", "--force", "--time", "0", .. names]);
        }
    }
}
