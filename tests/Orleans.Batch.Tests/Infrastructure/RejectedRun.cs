namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// Runs the Launcher on many bad inputs (a few at a time) and checks each one against the usage-error contract:
/// exit code 2, nothing on standard output, exactly one line on standard error that starts with <c>error: </c> and
/// names the flag, setting or variable, and nothing started: no process left, nothing written under its own
/// temporary directory.
/// </summary>
public static class RejectedRun
{
    /// <summary>One bad input: the arguments, extra environment, and what the error line must name.</summary>
    public sealed record BadInput(string[] Arguments, IReadOnlyDictionary<string, string> Environment, string Named)
    {
        public override string ToString() =>
            $"[{string.Join(' ', Arguments.Select(Orleans.Batch.Hosting.Configuration.InputText.Quote))}]"
            + (Environment.Count > 0 ? $" with {string.Join(' ', Environment.Select(e => $"{e.Key}={Orleans.Batch.Hosting.Configuration.InputText.Quote(e.Value)}"))}" : string.Empty);
    }

    /// <summary>Runs every case and returns one line per case that broke the contract (empty when all held).</summary>
    public static async Task<IReadOnlyList<string>> FindViolationsAsync(IEnumerable<BadInput> cases, int concurrency = 3)
    {
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (input, _) =>
        {
            if (await CheckAsync(input) is { } violation)
            {
                violations.Add($"{input}: {violation}");
            }
        });
        return [.. violations.Order(StringComparer.Ordinal)];
    }

    private static async Task<string?> CheckAsync(BadInput input)
    {
        var temp = Directory.CreateTempSubdirectory("orleans-batch-tests-rejected-");
        var leaks = new ProcessLeakDetector();
        try
        {
            var environment = new Dictionary<string, string>(input.Environment) { ["TMPDIR"] = temp.FullName };
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, input.Arguments, TimeSpan.FromSeconds(60), environment);
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string? problem = exitCode != 2 ? $"exit code {exitCode}, not 2"
                : stdout.Length > 0 ? $"wrote to standard output: {stdout}"
                : lines.Length != 1 ? $"{lines.Length} lines on standard error, not 1"
                : !lines[0].StartsWith("error: ", StringComparison.Ordinal) ? "the line does not start with 'error: '"
                : !lines[0].Contains(input.Named, StringComparison.Ordinal) ? $"the line does not name {input.Named}"
                : lines[0].Length > 400 ? $"the line is {lines[0].Length} characters long"
                : temp.EnumerateFileSystemInfos().Any() ? $"it wrote under TMPDIR: {string.Join(", ", temp.EnumerateFileSystemInfos().Select(f => f.Name))}"
                : leaks.FindProcesses().Count > 0 ? "it left processes running"
                : null;
            return problem is null ? null : $"{problem}; stderr: {Orleans.Batch.Hosting.Configuration.InputText.Quote(stderr)}";
        }
        finally
        {
            leaks.KillAll();
            temp.Delete(recursive: true);
        }
    }
}
