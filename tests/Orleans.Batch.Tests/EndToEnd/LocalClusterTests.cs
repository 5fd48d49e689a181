using System.Text.RegularExpressions;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>The main command on the local backend, run as a user runs it.</summary>
[Collection(ProcessCollection.Name)]
public sealed partial class LocalClusterTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Runs_the_demo_on_each_silo_and_leaves_nothing_behind(int silos)
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", silos.ToString(System.Globalization.CultureInfo.InvariantCulture)], RunTimeout);

        exitCode.ShouldBe(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].ShouldBe($"Num silos: {silos}");
        lines.Length.ShouldBe(silos + 1, stdout);

        var pids = new HashSet<int>();
        for (var i = 0; i < silos; i++)
        {
            var match = SiloLine().Match(lines[i + 1]);
            match.Success.ShouldBeTrue($"unexpected line '{lines[i + 1]}'");
            match.Groups["index"].Value.ShouldBe(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            match.Groups["name"].Value.ShouldBe($"local-{i}");
            pids.Add(int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        // Each value was computed in a different process: one per silo, none of them the manager.
        pids.Count.ShouldBe(silos);
        stderr.ShouldContain("membership rows deleted");
        await leaks.AssertNoneLeftAsync();
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_during_the_launch_wait_tears_everything_down(string signal, int expectedExitCode)
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "4"]);

        await launcher.WaitForOutputAsync("started (pid", TimeSpan.FromMinutes(1));
        await launcher.SignalAsync(signal);
        var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(expectedExitCode, launcher.StandardError);
        launcher.StandardOutput.ShouldNotContain("Num silos");
        launcher.StandardError.ShouldContain("Released in");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task A_signal_while_holding_the_cluster_tears_everything_down()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "2", "--hold"]);

        await launcher.WaitForOutputAsync("Holding the cluster up", RunTimeout);
        leaks.FindProcesses().Count.ShouldBe(3, "the manager and two silos run while holding");
        await launcher.SignalAsync("TERM");
        var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(143, launcher.StandardError);
        launcher.StandardOutput.ShouldContain("Num silos: 2");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Silos_stop_by_themselves_when_the_manager_is_killed()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "2", "--hold"]);
        await launcher.WaitForOutputAsync("Holding the cluster up", RunTimeout);

        await launcher.SignalAsync("KILL");
        await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // No tear-down ran: the silos notice their manager is gone and stop themselves.
        var left = await leaks.WaitUntilNoneLeftAsync(TimeSpan.FromSeconds(15));
        left.ShouldBeEmpty("silo processes outlived their killed manager");
    }

    [GeneratedRegex(@"^Silo (?<index>\d+): (?<name>\S+) at 127\.0\.0\.1:\d+@\d+ on \S+, pid (?<pid>\d+)$")]
    private static partial Regex SiloLine();
}
