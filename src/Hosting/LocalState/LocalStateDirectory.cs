using System.Collections.Concurrent;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.LocalState.Internal;

namespace Orleans.Batch.Hosting.LocalState;

/// <summary>
/// Where local clusters keep their state on this machine, private to the user: <c>$XDG_RUNTIME_DIR/orleans-batch</c>
/// when the session has a runtime directory, else <c>orleans-batch-&lt;uid&gt;</c> under the temporary directory
/// (<c>TMPDIR</c>); with <c>membership/</c> (tables, leases, locks) and <c>runs/&lt;cluster&gt;/</c> (silo logs).
/// </summary>
/// <remarks>
/// Every path built from input goes through <see cref="Under"/>, which proves it stays below its root. Directories
/// are created one level at a time below a parent that exists, so a wrong setting or <c>TMPDIR</c> is an error
/// rather than a new directory tree. Every level is created with mode 0700, and one that exists must be a directory
/// of this user that nobody else can write (<see cref="EnsurePrivate"/>): on a shared machine another user could
/// otherwise read silo logs, or pre-create the directory and plant membership rows that send the manager's client to
/// a silo of theirs.
/// </remarks>
internal static class LocalStateDirectory
{
    /// <summary>The name of the state directory under the runtime or temporary directory.</summary>
    public const string FolderName = "orleans-batch";

    /// <summary>The environment variable that moves the temporary directory (and so the state directory).</summary>
    public const string TemporaryDirectoryVariable = "TMPDIR";

    /// <summary>The session's private runtime directory (XDG Base Directory); preferred when it is set.</summary>
    public const string RuntimeDirectoryVariable = "XDG_RUNTIME_DIR";

    /// <summary>The mode of every local-state directory: only its owner may list, enter or change it.</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// The state directory: <c>$XDG_RUNTIME_DIR/orleans-batch</c>, else <c>$TMPDIR/orleans-batch-&lt;uid&gt;</c> (the
    /// user's id keeps users apart in a shared temporary directory).
    /// </summary>
    public static string Root =>
        RuntimeDirectory() is { } runtime ? Path.Combine(runtime, FolderName)
        : UnixFileOwner.CurrentUser is { } user ? Path.Combine(Path.GetTempPath(), $"{FolderName}-{user}")
        : Path.Combine(Path.GetTempPath(), FolderName);

    /// <summary>The variable that placed <see cref="Root"/>, for errors.</summary>
    public static string RootVariable => RuntimeDirectory() is null ? TemporaryDirectoryVariable : RuntimeDirectoryVariable;

    // Directories this process proved private. Inside one, only its owner can add, remove or replace entries, so it
    // stays private: local membership writes (every heartbeat and lease renewal) do not check the chain again.
    private static readonly ConcurrentDictionary<string, bool> ProvenPrivate = new(StringComparer.Ordinal);

    private static string? RuntimeDirectory() =>
        Environment.GetEnvironmentVariable(RuntimeDirectoryVariable) is { Length: > 0 } runtime && Path.IsPathFullyQualified(runtime) && Directory.Exists(runtime)
            ? runtime
            : null;

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
    /// Makes sure <paramref name="directory"/> exists and is private (<see cref="EnsurePrivate"/>), creating only the
    /// state directory's own levels (the state root and its subdirectories) or the last level of a configured
    /// directory whose parent exists; every level created has mode 0700.
    /// </summary>
    /// <param name="directory">The directory.</param>
    /// <param name="setting">The setting that named it, for the error.</param>
    /// <exception cref="LocalStateException">It cannot be created without creating directories nobody asked for, or it is not private.</exception>
    public static void EnsureExists(string directory, string setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (ProvenPrivate.ContainsKey(full) && Directory.Exists(full))
        {
            return;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root));
        var underRoot = full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (underRoot)
        {
            if (ValidateTemporaryDirectory() is { } error)
            {
                throw new LocalStateException(error);
            }

            CreateChain(root, full);
            ProvenPrivate.TryAdd(full, true);
            return;
        }

        if (!Exists(full))
        {
            var parent = Path.GetDirectoryName(full);
            if (parent is null || !Directory.Exists(parent))
            {
                throw new LocalStateException($"{setting} is {InputText.Quote(directory)}, whose parent directory does not exist; create it first");
            }

            CreatePrivate(full);
        }

        EnsurePrivate(full, $"set {setting} to a directory of yours that only you can write");
        ProvenPrivate.TryAdd(full, true);
    }

    /// <summary>
    /// Refuses a directory that is a symbolic link, belongs to another user, or that others can write, with one line
    /// naming the path and the fix; tightens one of ours that others could read or enter to 0700.
    /// </summary>
    /// <param name="directory">An existing path.</param>
    /// <param name="fix">What the user can do instead (the setting or variable to change).</param>
    /// <exception cref="LocalStateException">The directory is not private to this user.</exception>
    public static void EnsurePrivate(string directory, string fix)
    {
        if (OperatingSystem.IsWindows())
        {
            // The temporary directory is the user's own on Windows.
            return;
        }

        var info = new DirectoryInfo(directory);
        if (info.LinkTarget is not null)
        {
            throw new LocalStateException($"{directory} is a symbolic link (to {info.LinkTarget}); Orleans.Batch keeps its state only in a real directory of yours: remove the link, or {fix}");
        }

        if (!info.Exists)
        {
            throw new LocalStateException($"{directory} is not a directory; remove it, or {fix}");
        }

        if (UnixFileOwner.OwnerOf(directory) is { } owner && UnixFileOwner.CurrentUser is { } user && owner != user)
        {
            throw new LocalStateException($"{directory} belongs to another user (uid {owner}, you are uid {user}); Orleans.Batch will not keep its state there: remove it, or {fix}");
        }

        var mode = info.UnixFileMode;
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new LocalStateException($"{directory} can be written by other users (mode {Octal(mode)}); anyone could plant state there: remove it, or chmod 700 it, or {fix}");
        }

        if (mode != PrivateMode)
        {
            // Ours and unwritable by others, but readable (for example made by an older version): make it private.
            File.SetUnixFileMode(directory, PrivateMode);
        }
    }

    private static void CreateChain(string root, string full)
    {
        // Below the (existing) runtime or temporary directory every level is ours: create them one by one, private.
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
            if (!Exists(level))
            {
                CreatePrivate(level);
            }

            EnsurePrivate(level, RootVariable == RuntimeDirectoryVariable
                ? $"unset {RuntimeDirectoryVariable} or point it at a directory of yours"
                : $"point {TemporaryDirectoryVariable} at a directory of yours");
        }
    }

    // A dangling symbolic link does not "exist" as a directory but must still be refused, not created over.
    private static bool Exists(string path) => Directory.Exists(path) || new FileInfo(path).LinkTarget is not null || File.Exists(path);

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateMode);
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
