using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Runtime;
using static Orleans.Batch.Tests.Application.Commands.ClusterSeeder;
using static Orleans.Batch.Tests.Application.Commands.DynamoDBListAndCleanupTests;

namespace Orleans.Batch.Tests.Application.Commands;

/// <summary><c>list</c> and <c>cleanup</c> on the local store: real membership and lease files in a directory.</summary>
public sealed class LocalListAndCleanupTests : IDisposable
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("cleanup-local-").FullName;
    private readonly string _otherDirectory = Directory.CreateTempSubdirectory("cleanup-other-").FullName;

    [Fact]
    public async Task List_shows_each_local_cluster_and_cleanup_deletes_exactly_the_orphans_files()
    {
        var (live, expired, quiet, heartbeating, leaseOnly) = ("live-a1", "expired-b2", "quiet-c3", "heartbeat-d4", "leaseonly-e5");
        await SeedLocalAsync(_directory, live, Lease(TimeSpan.Zero, TimeSpan.FromMinutes(10)), (SiloStatus.Active, TimeSpan.Zero), (SiloStatus.Joining, TimeSpan.Zero));
        await SeedLocalAsync(_directory, expired, Lease(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(60)), (SiloStatus.Active, TimeSpan.FromMinutes(3)), (SiloStatus.Active, TimeSpan.FromMinutes(3)));
        await SeedLocalAsync(_directory, quiet, lease: null, (SiloStatus.Active, TimeSpan.FromHours(2)));
        await SeedLocalAsync(_directory, heartbeating, lease: null, (SiloStatus.Active, TimeSpan.FromSeconds(5)));
        await SeedLocalAsync(_directory, leaseOnly, Lease(TimeSpan.FromHours(1), TimeSpan.FromSeconds(60)));
        await SeedLocalAsync(_otherDirectory, expired, Lease(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(60)), (SiloStatus.Active, TimeSpan.FromMinutes(3)));
        var before = Snapshot(_directory);
        var otherBefore = Snapshot(_otherDirectory);
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["list", "--local-dir", _directory], Run);

        exitCode.ShouldBe(0, stderr);
        var rows = Lines(stdout);
        rows.Length.ShouldBe(6, stdout);
        Words(rows, live)[1..6].ShouldBe(["live", "0s", "ago", "1/2", "no"]);
        Words(rows, expired)[1..6].ShouldBe(["expired", "3m", "ago", "2/2", "yes"]);
        Words(rows, quiet)[1..5].ShouldBe(["none", "-", "1/1", "yes"]);
        Words(rows, heartbeating)[1..5].ShouldBe(["none", "-", "1/1", "no"]);
        Words(rows, leaseOnly)[1..6].ShouldBe(["expired", "60m", "ago", "0/0", "yes"]);

        (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["list", "--local-dir", _directory, "--json"], Run);
        exitCode.ShouldBe(0, stderr);
        var json = JsonNode.Parse(stdout)!;
        json["store"]!.GetValue<string>().ShouldBe($"local membership directory {_directory}");
        json["clusters"]!.AsArray().Select(c => (c!["clusterId"]!.GetValue<string>(), c["orphaned"]!.GetValue<bool>())).OrderBy(c => c.Item1)
            .ShouldBe(new[] { (live, false), (expired, true), (quiet, true), (heartbeating, false), (leaseOnly, true) }.OrderBy(c => c.Item1));

        (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", "--local-dir", _directory, "--dry-run"], Run);
        exitCode.ShouldBe(0, stderr);
        Lines(stdout).Order().ShouldBe(new[] { expired, quiet, leaseOnly }.Select(c => $"would delete the membership partition of cluster {c} in local membership directory {_directory}").Order());
        Snapshot(_directory).ShouldBe(before);

        (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["cleanup", "--local-dir", _directory], Run);
        exitCode.ShouldBe(0, stderr);
        Lines(stdout).Order().ShouldBe(new[]
        {
            $"deleted the membership partition of cluster {expired} in local membership directory {_directory} (2 items)",
            $"deleted the membership partition of cluster {quiet} in local membership directory {_directory} (1 item)",
            $"deleted the membership partition of cluster {leaseOnly} in local membership directory {_directory} (1 item)",
        }.Order());
        stderr.ShouldContain("2 live cluster(s) left alone");
        Snapshot(_directory).ShouldBe(before.Where(f => f.Key.StartsWith(live + ".", StringComparison.Ordinal) || f.Key.StartsWith(heartbeating + ".", StringComparison.Ordinal)).ToDictionary());
        Snapshot(_otherDirectory).ShouldBe(otherBefore);
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task List_of_a_directory_without_clusters_says_so()
    {
        var empty = Path.Combine(_directory, "none-here");
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), ["list", "--local-dir", empty], Run);

        exitCode.ShouldBe(0, stderr);
        stdout.Trim().ShouldBe($"No clusters in local membership directory {empty}.");
        Directory.Exists(empty).ShouldBeFalse("listing creates nothing");
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(_otherDirectory, recursive: true);
    }

    private static string[] Words(string[] rows, string clusterId) =>
        rows.Single(r => r.StartsWith(clusterId + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // The table and lease files by name with their contents (lock files are not state).
    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
}
