namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>What every rejected command line must look like: exit code 2, one line naming the problem, nothing done.</summary>
public static class UsageErrorAssertions
{
    /// <summary>Runs the Launcher with <paramref name="commandLine"/> and asserts the usage-error contract; returns the error line.</summary>
    public static async Task<string> ShouldBeRejectedAsync(string commandLine, string named)
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, commandLine.Split(' '), TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(2, stderr);
        stdout.ShouldBeEmpty();
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldStartWith("error: ");
        lines[0].ShouldContain(named);
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
        return lines[0];
    }
}
