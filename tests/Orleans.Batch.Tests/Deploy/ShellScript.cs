using System.Diagnostics;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// Runs a command (a deploy script, bash, the AWS CLI, cfn-lint) to completion with a clean AWS environment: no
/// AWS_* variable of the test process leaks in, and the AWS CLI reads no user configuration or credentials, so
/// nothing here can reach a real AWS account.
/// </summary>
internal static class ShellScript
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Task<Result> RunScriptAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync("bash", [DeployFiles.Script(script), .. arguments], environment);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Infrastructure.RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        // HOME stays (pyenv shims find their Python through it); the AWS CLI gets empty configuration instead.
        var configuration = Directory.CreateTempSubdirectory("deploy-test-aws-").FullName;
        try
        {
            start.Environment["AWS_CONFIG_FILE"] = Path.Combine(configuration, "config");
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(configuration, "credentials");
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time:\n{await stdout}\n{await stderr}");
            }

            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(configuration, recursive: true);
        }
    }

    /// <summary>The full path of <paramref name="command"/> on PATH, or null.</summary>
    public static string? Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
}
