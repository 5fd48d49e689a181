using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>Silos that die while a workload runs: named by the manager, routed around, or the run fails clearly.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SiloFailureTests
{
    [Fact]
    public async Task A_killed_silo_is_named_and_the_workload_completes_on_the_rest()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "3:4", "--replace-lost", "0", "--workload", "montecarlo", "-o", "samples=8e8", "-o", "chunks=32"]);
        await launcher.WaitForOutputAsync("montecarlo: ", TimeSpan.FromMinutes(3));

        await PosixSignals.SendAsync(leaks.FindSiloProcess("local-2"), "KILL");
        var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(4));

        exitCode.ShouldBe(0, launcher.StandardError);
        launcher.StandardOutput.ShouldContain("Monte Carlo estimate of pi: 3.14");
        launcher.StandardError.ShouldContain("silo 2 (local-2) at 127.0.0.1");
        launcher.StandardError.ShouldContain("was lost: failed: exited with code 137");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Below_the_minimum_the_workload_stops_with_an_error_naming_the_lost_silo()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--silos", "2", "--replace-lost", "0", "--workload", "montecarlo", "-o", "samples=5e10"]);
        await launcher.WaitForOutputAsync("montecarlo: ", TimeSpan.FromMinutes(3));

        await PosixSignals.SendAsync(leaks.FindSiloProcess("local-1"), "KILL");
        var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(2));

        exitCode.ShouldBe(1, launcher.StandardError);
        var error = launcher.StandardError.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
        error.ShouldContain("fewer than the minimum of 2");
        error.ShouldContain("silo 1 (local-1)");
        launcher.StandardError.ShouldContain("Released in");
        await leaks.AssertNoneLeftAsync();
    }
}
