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
    public async Task A_second_ctrl_c_kills_silos_that_do_not_stop_at_once_instead_of_waiting_for_them()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "4", "--hold"]);
        await launcher.WaitForOutputAsync("Holding the cluster up", RunTimeout);

        // Frozen silos cannot stop gracefully: only the forced stop ends them before the 10 s grace period.
        var silos = leaks.FindProcesses().Where(pid => pid != launcher.Id).ToList();
        silos.Count.ShouldBe(4);
        foreach (var pid in silos)
        {
            await PosixSignals.SendAsync(pid, "STOP");
        }

        await launcher.SignalAsync("INT");
        await launcher.WaitForOutputAsync("Releasing the cluster", TimeSpan.FromSeconds(30));
        var forced = System.Diagnostics.Stopwatch.StartNew();
        await launcher.SignalAsync("INT");
        var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(130, launcher.StandardError);
        launcher.StandardError.ShouldContain("0 gracefully, 4 killed");
        forced.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8), "the forced stop waited for the grace period");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Silos_stop_by_themselves_when_the_manager_is_killed_and_cleanup_releases_the_rest()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "2", "--hold", "--orphan-timeout", "5s"]);
        await launcher.WaitForOutputAsync("Holding the cluster up", RunTimeout);
        var clusterId = ClusterIdIn(launcher.StandardError);

        await launcher.SignalAsync("KILL");
        await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // No tear-down ran: the silos notice their manager is gone and stop themselves.
        var left = await leaks.WaitUntilNoneLeftAsync(TimeSpan.FromSeconds(15));
        left.ShouldBeEmpty("silo processes outlived their killed manager");

        // What a killed manager cannot delete, `cleanup` does once its lease has expired.
        var membership = new Orleans.Batch.Hosting.Membership.Local.LocalMembershipOptions();
        File.Exists(membership.GetLeasePath(clusterId)).ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup"], TimeSpan.FromMinutes(1));
        exitCode.ShouldBe(0, stderr);
        stdout.ShouldContain(clusterId);
        File.Exists(membership.GetLeasePath(clusterId)).ShouldBeFalse();
        File.Exists(membership.GetTablePath(clusterId)).ShouldBeFalse();
    }

    private static string ClusterIdIn(string stderr) => ClusterIdPattern().Match(stderr).Groups["id"].Value is { Length: > 0 } id
        ? id
        : throw new ShouldAssertException($"no cluster id in:\n{stderr}");

    [GeneratedRegex(@"\(cluster (?<id>ob-[0-9a-f-]+);")]
    private static partial Regex ClusterIdPattern();

    [GeneratedRegex(@"^Silo (?<index>\d+): (?<name>\S+) at 127\.0\.0\.1:\d+@\d+ on \S+, pid (?<pid>\d+)$")]
    private static partial Regex SiloLine();
}
