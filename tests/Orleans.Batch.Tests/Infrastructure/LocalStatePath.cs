using Orleans.Batch.Hosting.LocalState;
using Orleans.Batch.Hosting.LocalState.Internal;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>Where a Launcher run with <c>TMPDIR</c> set to a test's directory keeps its local state.</summary>
public static class LocalStatePath
{
    /// <summary><c>&lt;temp&gt;/orleans-batch-&lt;uid&gt;</c>: the per-user state directory under <paramref name="temp"/>.</summary>
    public static string Under(string temp) => Path.Combine(temp, $"{LocalStateDirectory.FolderName}-{UnixFileOwner.CurrentUser}");
}
