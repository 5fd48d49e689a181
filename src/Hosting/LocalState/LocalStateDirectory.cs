using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.LocalState;

/// <summary>
/// Where local clusters keep their state on this machine: <c>orleans-batch/</c> under the temporary directory
/// (<c>TMPDIR</c>), with <c>membership/</c> (tables, leases, locks) and <c>runs/&lt;cluster&gt;/</c> (silo logs).
/// </summary>
/// <remarks>
/// Every path built from input goes through <see cref="Under"/>, which proves it stays below its root. Directories
/// are created one level at a time below a parent that exists, so a wrong setting or <c>TMPDIR</c> is an error
/// rather than a new directory tree.
/// </remarks>
internal static class LocalStateDirectory
{
    /// <summary>The name of the state directory under the temporary directory.</summary>
    public const string FolderName = "orleans-batch";

    /// <summary>The environment variable that moves the temporary directory (and so the state directory).</summary>
    public const string TemporaryDirectoryVariable = "TMPDIR";

    /// <summary>The state directory: <c>$TMPDIR/orleans-batch</c> (or the system's temporary directory).</summary>
    public static string Root => Path.Combine(Path.GetTempPath(), FolderName);

    /// <summary>The default directory of local membership tables and leases.</summary>
    public static string MembershipDirectory => Path.Combine(Root, "membership");

    /// <summary>The directory of local runs (each run's silo logs).</summary>
    public static string RunsDirectory => Path.Combine(Root, "runs");

    /// <summary>The run directory of <paramref name="clusterId"/>, proven to be below <see cref="RunsDirectory"/>.</summary>
    /// <param name="clusterId">A valid cluster id.</param>
    /// <returns>The full path.</returns>
    public static string RunDirectoryOf(string clusterId) => Under(RunsDirectory, ClusterIdGrammar.ToSafeName(clusterId));

    /// <summary>
    /// Checks that the temporary directory exists; returns one line naming <c>TMPDIR</c> when it does not.
    /// </summary>
    /// <returns>Null when it exists, else the error.</returns>
    public static string? ValidateTemporaryDirectory()
    {
        var temp = Path.GetTempPath();
        if (Directory.Exists(temp))
        {
            return null;
        }

        var variable = Environment.GetEnvironmentVariable(TemporaryDirectoryVariable);
        return string.IsNullOrEmpty(variable)
            ? $"the temporary directory {InputText.Quote(temp)} does not exist"
            : $"{TemporaryDirectoryVariable} is {InputText.Quote(variable)}, which is not an existing directory; point it at one or unset it";
    }

    /// <summary>
    /// The full path of <paramref name="name"/> below <paramref name="root"/>; throws when it would leave the root
    /// (an absolute name, <c>..</c>, a separator).
    /// </summary>
    /// <param name="root">The directory the path must stay in.</param>
    /// <param name="name">One path segment.</param>
    /// <returns>The full path.</returns>
    public static string Under(string root, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(Path.Combine(fullRoot, name));
        if (name.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) >= 0
            || !string.Equals(Path.GetDirectoryName(full), fullRoot, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{InputText.Quote(name)} is not a plain name inside {InputText.Quote(fullRoot)}", nameof(name));
        }

        return full;
    }

    /// <summary>
    /// Makes sure <paramref name="directory"/> exists, creating only the state directory's own levels (the state
    /// root and its subdirectories) or the last level of a configured directory whose parent exists.
    /// </summary>
    /// <param name="directory">The directory.</param>
    /// <param name="setting">The setting that named it, for the error.</param>
    /// <exception cref="LocalStateException">It cannot be created without creating directories nobody asked for.</exception>
    public static void EnsureExists(string directory, string setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (Directory.Exists(full))
        {
            return;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root));
        if (full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            if (ValidateTemporaryDirectory() is { } error)
            {
                throw new LocalStateException(error);
            }

            CreateChain(root, full);
            return;
        }

        var parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent))
        {
            throw new LocalStateException($"{setting} is {InputText.Quote(directory)}, whose parent directory does not exist; create it first");
        }

        Directory.CreateDirectory(full);
    }

    private static void CreateChain(string root, string full)
    {
        // Below the (existing) temporary directory every level is ours: create them one by one.
        var levels = new Stack<string>();
        for (var current = full; current.Length >= root.Length; current = Path.GetDirectoryName(current)!)
        {
            levels.Push(current);
            if (current == root)
            {
                break;
            }
        }

        foreach (var level in levels)
        {
            Directory.CreateDirectory(level);
        }
    }
}
