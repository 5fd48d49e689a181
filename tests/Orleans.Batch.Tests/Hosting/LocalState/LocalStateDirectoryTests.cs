using Orleans.Batch.Hosting.LocalState;

namespace Orleans.Batch.Tests.Hosting.LocalState;

/// <summary>Paths built from input stay in their directory; nothing is created or deleted that is not ours.</summary>
public sealed class LocalStateDirectoryTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("orleans-batch-tests-state-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("/etc")]
    [InlineData(".")]
    public void A_name_that_would_leave_its_directory_is_refused(string name) =>
        Should.Throw<ArgumentException>(() => LocalStateDirectory.Under(_scratch, name));

    [Fact]
    public void A_plain_name_stays_directly_under_its_directory() =>
        LocalStateDirectory.Under(_scratch, "c1.lease.json").ShouldBe(Path.Combine(_scratch, "c1.lease.json"));

    [Fact]
    public void A_configured_directory_is_created_only_when_its_parent_exists()
    {
        var missingChain = Path.Combine(_scratch, "no", "such", "dir");

        var error = Should.Throw<LocalStateException>(() => LocalStateDirectory.EnsureExists(missingChain, "OrleansBatch:LocalMembership:Directory"));

        error.Message.ShouldStartWith("OrleansBatch:LocalMembership:Directory is ");
        Directory.Exists(Path.Combine(_scratch, "no")).ShouldBeFalse();

        var lastLevel = Path.Combine(_scratch, "membership");
        LocalStateDirectory.EnsureExists(lastLevel, "OrleansBatch:LocalMembership:Directory");
        Directory.Exists(lastLevel).ShouldBeTrue();
    }

    [Fact]
    public void A_run_directory_without_the_marker_is_never_deleted()
    {
        var notOurs = Path.Combine(LocalStateDirectory.RunsDirectory, "tests-not-ours-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(notOurs);
        try
        {
            var clusterId = Path.GetFileName(notOurs);
            File.WriteAllText(Path.Combine(notOurs, "precious.txt"), "keep me");

            Should.Throw<LocalStateException>(() => LocalRunDirectory.Create(clusterId)).Message.ShouldContain("was not made by Orleans.Batch");
            LocalRunDirectory.Of(clusterId).DeleteIfOwned().ShouldBeFalse();
            File.Exists(Path.Combine(notOurs, "precious.txt")).ShouldBeTrue();
        }
        finally
        {
            Directory.Delete(notOurs, recursive: true);
        }
    }

    [Fact]
    public void A_run_directory_it_made_is_deleted_and_a_kept_one_is_taken_over()
    {
        var clusterId = "tests-ours-" + Guid.NewGuid().ToString("N")[..8];
        var run = LocalRunDirectory.Create(clusterId);
        Directory.CreateDirectory(run.LogDirectory);
        File.WriteAllText(Path.Combine(run.LogDirectory, "silo-0.log"), "kept after a failed run");

        // A second run with the same id (after a failed one kept its logs) takes the directory over.
        var again = LocalRunDirectory.Create(clusterId);
        again.Path.ShouldBe(run.Path);

        again.DeleteIfOwned().ShouldBeTrue();
        Directory.Exists(run.Path).ShouldBeFalse();
        Directory.Exists(LocalStateDirectory.RunsDirectory).ShouldBeTrue();
    }
}
