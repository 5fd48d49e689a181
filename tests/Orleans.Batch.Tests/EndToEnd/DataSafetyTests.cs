using System.Text.RegularExpressions;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Local runs touch nothing outside their state directory, delete only what they made, and never confuse two
/// clusters: each run gets its own TMPDIR with marker files beside the state directory.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class DataSafetyTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("orleans-batch-tests-safety-");
    private readonly string _temp;

    public DataSafetyTests()
    {
        // <root>/marker stands next to TMPDIR, <root>/tmp/marker next to the state directory (<root>/tmp/orleans-batch).
        _temp = Path.Combine(_root.FullName, "tmp");
        Directory.CreateDirectory(_temp);
        File.WriteAllText(Path.Combine(_root.FullName, "marker"), "outside TMPDIR");
        File.WriteAllText(Path.Combine(_temp, "marker"), "beside the state directory");
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../../../escape")]
    [InlineData("bad id/with slash")]
    [InlineData("membership/..")]
    public async Task A_path_like_cluster_id_is_refused_and_nothing_is_touched(string clusterId)
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--cluster-id", clusterId], RunTimeout, Environment());

        exitCode.ShouldBe(2, stderr);
        stderr.ShouldStartWith("error: --cluster-id ");
        AssertMarkersSurvive();
        Directory.Exists(Path.Combine(_temp, "orleans-batch")).ShouldBeFalse("nothing was created");
        Directory.Exists(Path.Combine(_root.FullName, "escape")).ShouldBeFalse();
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_successful_run_removes_only_its_own_files()
    {
        var leaks = new ProcessLeakDetector();

        // "membership" is also the name of the state directory's table folder: the run's own folder must not be it.
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--cluster-id", "membership"], RunTimeout, Environment());

        exitCode.ShouldBe(0, stderr);
        stdout.ShouldContain("Num silos: 1");
        AssertMarkersSurvive();
        var state = Path.Combine(_temp, "orleans-batch");
        Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).ShouldBeEmpty("the run's files were removed");
        Directory.EnumerateDirectories(state).Select(Path.GetFileName).Order().ShouldBe(["membership", "runs"]);
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Clusters_whose_ids_differ_only_in_non_ascii_letters_run_side_by_side()
    {
        var leaks = new ProcessLeakDetector();
        await using var first = LauncherProcess.Start(leaks, ["--silos", "1", "--cluster-id", "ä1", "--hold"], Environment());
        await first.WaitForOutputAsync("Holding the cluster up", RunTimeout);
        var firstSilo = SiloPid().Match(first.StandardOutput).Groups["pid"].Value;

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--cluster-id", "ö1"], RunTimeout, Environment());

        // The second cluster used its own silo, and released only its own rows: the first one still runs.
        exitCode.ShouldBe(0, stderr);
        SiloPid().Match(stdout).Groups["pid"].Value.ShouldNotBe(firstSilo);
        first.StandardError.ShouldNotContain("lost");
        var membership = Path.Combine(_temp, "orleans-batch", "membership");
        Directory.EnumerateFiles(membership, "*.membership.json").Select(Path.GetFileName).ShouldBe(["_00e41.membership.json"]);

        await first.SignalAsync("INT");
        (await first.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(130, first.StandardError);
        first.StandardError.ShouldContain("membership rows deleted");
        Directory.EnumerateFiles(membership, "*.json").ShouldBeEmpty();
        AssertMarkersSurvive();
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task A_run_directory_it_did_not_make_is_refused_and_left_alone()
    {
        var theirs = Path.Combine(_temp, "orleans-batch", "runs", "theirs");
        Directory.CreateDirectory(theirs);
        File.WriteAllText(Path.Combine(theirs, "precious.txt"), "not ours");
        var leaks = new ProcessLeakDetector();

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--cluster-id", "theirs"], RunTimeout, Environment());

        exitCode.ShouldBe(2, stderr);
        stderr.ShouldContain("was not made by Orleans.Batch");
        File.Exists(Path.Combine(theirs, "precious.txt")).ShouldBeTrue();
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    private Dictionary<string, string> Environment() => new() { ["TMPDIR"] = _temp };

    private void AssertMarkersSurvive()
    {
        File.ReadAllText(Path.Combine(_root.FullName, "marker")).ShouldBe("outside TMPDIR");
        File.ReadAllText(Path.Combine(_temp, "marker")).ShouldBe("beside the state directory");
    }

    [GeneratedRegex(@"Silo 0: .* pid (?<pid>\d+)")]
    private static partial Regex SiloPid();
}
