using Orleans.Batch.Hosting.LocalState.Internal;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>Makes a path belong to another user (nobody, uid 65534), as on a shared machine.</summary>
public static class LocalStateTestUsers
{
    /// <summary>The user id given away to.</summary>
    public const int Nobody = 65534;

    /// <summary>Changes the owner of <paramref name="path"/> to <see cref="Nobody"/>; only root may, so the test says so otherwise.</summary>
    public static void GiveToAnotherUser(string path)
    {
        if (UnixFileOwner.CurrentUser != 0)
        {
            Assert.Fail($"this test makes a directory of another user with chown, which needs root (uid 0; this is uid {UnixFileOwner.CurrentUser}): run the tests as root, as CI does (.ci/run)");
        }

        using var chown = System.Diagnostics.Process.Start("chown", [Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        chown.WaitForExit();
        chown.ExitCode.ShouldBe(0, $"chown {Nobody} {path}");
    }
}
