using Orleans.Batch.Hosting.LocalState;
using Orleans.Batch.Hosting.LocalState.Internal;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.LocalState;

/// <summary>Paths built from input stay in their directory; nothing is created or deleted that is not ours.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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

    private const string Setting = "OrleansBatch:LocalMembership:Directory";

    [Fact]
    public void A_configured_directory_is_created_private_to_the_user()
    {
        var directory = Path.Combine(_scratch, "membership");

        LocalStateDirectory.EnsureExists(directory, Setting);

        File.GetUnixFileMode(directory).ShouldBe(LocalStateDirectory.PrivateMode);
    }

    [Fact]
    public void A_directory_of_ours_that_others_can_read_is_made_private()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_scratch, "membership"), (UnixFileMode)0x1ED).FullName; // 0755

        LocalStateDirectory.EnsureExists(directory, Setting);

        File.GetUnixFileMode(directory).ShouldBe(LocalStateDirectory.PrivateMode);
    }

    [Fact]
    public void A_configured_directory_that_others_can_write_is_refused_naming_the_setting()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_scratch, "shared")).FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0x3FF); // 1777, like /tmp

        var error = Should.Throw<LocalStateException>(() => LocalStateDirectory.EnsureExists(directory, Setting));

        error.Message.ShouldBe($"{directory} can be written by other users (mode 0777); anyone could plant state there: remove it, or chmod 700 it, or set {Setting} to a directory of yours that only you can write");
    }

    [Fact]
    public void A_configured_directory_of_another_user_is_refused_naming_the_setting()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_scratch, "theirs")).FullName;
        LocalStateTestUsers.GiveToAnotherUser(directory);

        var error = Should.Throw<LocalStateException>(() => LocalStateDirectory.EnsureExists(directory, Setting));

        error.Message.ShouldStartWith($"{directory} belongs to another user (uid {LocalStateTestUsers.Nobody}, you are uid {UnixFileOwner.CurrentUser})");
        error.Message.ShouldEndWith($"set {Setting} to a directory of yours that only you can write");
    }

    [Fact]
    public void A_symlinked_configured_directory_is_refused_even_when_the_target_is_ours()
    {
        var target = Directory.CreateDirectory(Path.Combine(_scratch, "target"), LocalStateDirectory.PrivateMode).FullName;
        var link = Path.Combine(_scratch, "link");
        Directory.CreateSymbolicLink(link, target);

        Should.Throw<LocalStateException>(() => LocalStateDirectory.EnsureExists(link, Setting)).Message.ShouldStartWith($"{link} is a symbolic link (to {target})");
    }

    [Fact]
    public void A_dangling_symlink_is_refused_not_created_through()
    {
        var link = Path.Combine(_scratch, "dangling");
        var target = Path.Combine(_scratch, "not-yet");
        Directory.CreateSymbolicLink(link, target);

        Should.Throw<LocalStateException>(() => LocalStateDirectory.EnsureExists(link, Setting)).Message.ShouldContain("is a symbolic link");
        Directory.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public void The_owner_of_a_path_is_read_without_following_links()
    {
        UnixFileOwner.OwnerOf(_scratch).ShouldBe(UnixFileOwner.CurrentUser);
        var link = Path.Combine(_scratch, "to-root-owned");
        File.CreateSymbolicLink(link, "/");
        UnixFileOwner.OwnerOf(link).ShouldBe(UnixFileOwner.CurrentUser);
        UnixFileOwner.OwnerOf("/").ShouldBe(0u);
    }
}
