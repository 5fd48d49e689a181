using System.Text.RegularExpressions;
using Orleans.Batch.Hosting.LocalState;
using Orleans.Batch.Hosting.LocalState.Internal;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Local runs touch nothing outside their state directory, delete only what they made, and never confuse two
/// clusters: each run gets its own TMPDIR with marker files beside the state directory.
/// </summary>
[Collection(ProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class DataSafetyTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("orleans-batch-tests-safety-");
    private readonly string _temp;

    public DataSafetyTests()
    {
        // <root>/marker stands next to TMPDIR, <root>/tmp/marker next to the state directory (<root>/tmp/orleans-batch-<uid>).
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
        Directory.Exists(LocalStatePath.Under(_temp)).ShouldBeFalse("nothing was created");
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
        var state = LocalStatePath.Under(_temp);
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
        var membership = Path.Combine(LocalStatePath.Under(_temp), "membership");
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
        var theirs = Path.Combine(LocalStatePath.Under(_temp), "runs", "theirs");
        Directory.CreateDirectory(theirs);
        File.WriteAllText(Path.Combine(theirs, "precious.txt"), "not ours");
        var leaks = new ProcessLeakDetector();

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--cluster-id", "theirs"], RunTimeout, Environment());

        exitCode.ShouldBe(2, stderr);
        stderr.ShouldContain("was not made by Orleans.Batch");
        File.Exists(Path.Combine(theirs, "precious.txt")).ShouldBeTrue();
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("another user's", "belongs to another user (uid 65534")]
    [InlineData("world-writable", "can be written by other users (mode 0777)")]
    [InlineData("symlinked", "is a symbolic link")]
    public async Task A_hostile_pre_created_state_directory_is_refused_and_left_alone(string kind, string reason)
    {
        // Another user got there first: the state directory exists, with a membership table that would send the
        // manager's client to a silo of theirs.
        var state = LocalStatePath.Under(_temp);
        var planted = kind == "symlinked" ? Path.Combine(_root.FullName, "elsewhere") : state;
        Directory.CreateDirectory(Path.Combine(planted, "membership"));
        File.WriteAllText(Path.Combine(planted, "membership", "theirs.membership.json"), "{}");
        switch (kind)
        {
            case "another user's":
                LocalStateTestUsers.GiveToAnotherUser(state);
                break;
            case "world-writable":
                File.SetUnixFileMode(state, (UnixFileMode)0x1FF);
                break;
            default:
                Directory.CreateSymbolicLink(state, planted);
                break;
        }

        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1"], RunTimeout, Environment());

        exitCode.ShouldBe(2, stderr);
        stdout.ShouldBeEmpty();
        var line = stderr.Trim().ShouldNotBeNull();
        line.Split('\n').Length.ShouldBe(1, stderr);
        line.ShouldStartWith($"error: {state} ");
        line.ShouldContain(reason);
        line.ShouldContain("point TMPDIR at a directory of yours");
        Directory.EnumerateFileSystemEntries(Path.Combine(planted, "membership")).Select(Path.GetFileName).ShouldBe(["theirs.membership.json"]);
        Directory.Exists(Path.Combine(planted, "runs")).ShouldBeFalse("nothing was created there");
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_running_cluster_keeps_its_state_private_to_the_user()
    {
        var leaks = new ProcessLeakDetector();
        await using var run = LauncherProcess.Start(leaks, ["--silos", "1", "--hold"], Environment());
        await run.WaitForOutputAsync("Holding the cluster up", RunTimeout);

        // Membership table, lease, locks, run marker and silo logs: directories 0700, files 0600.
        var state = new DirectoryInfo(LocalStatePath.Under(_temp));
        var directories = state.EnumerateDirectories("*", SearchOption.AllDirectories).Prepend(state).ToList();
        var files = state.EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        files.Select(f => f.Name).ShouldContain(n => n.EndsWith(".membership.json", StringComparison.Ordinal));
        files.Select(f => f.Name).ShouldContain(n => n.EndsWith(".lease.json", StringComparison.Ordinal));
        files.Select(f => f.Name).ShouldContain("silo-0.log");
        directories.Where(d => d.UnixFileMode != LocalStateDirectory.PrivateMode).Select(d => $"{d.FullName} {d.UnixFileMode}").ShouldBeEmpty();
        files.Where(f => f.UnixFileMode != PrivateFile.Mode).Select(f => $"{f.FullName} {f.UnixFileMode}").ShouldBeEmpty();

        await run.SignalAsync("INT");
        (await run.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(130, run.StandardError);
        await leaks.AssertNoneLeftAsync();
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
