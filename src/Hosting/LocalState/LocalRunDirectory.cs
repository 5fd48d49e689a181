namespace Orleans.Batch.Hosting.LocalState;

/// <summary>
/// A local run's own directory (<c>runs/&lt;cluster&gt;/</c>, holding its silo logs): created by the run with a
/// marker file, kept when the run fails, and deleted only when the marker shows that Orleans.Batch made it.
/// </summary>
public sealed class LocalRunDirectory
{
    /// <summary>The marker file that says Orleans.Batch made the directory.</summary>
    public const string MarkerFileName = ".orleans-batch-run";

    private LocalRunDirectory(string path) => Path = path;

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Where silo logs go.</summary>
    public string LogDirectory => System.IO.Path.Combine(Path, "logs");

    /// <summary>
    /// Creates the run directory of <paramref name="clusterId"/>, or takes over one that an earlier run with the same
    /// id left (its marker says so); refuses a directory that Orleans.Batch did not make.
    /// </summary>
    /// <param name="clusterId">A valid cluster id.</param>
    /// <returns>The run directory.</returns>
    /// <exception cref="LocalStateException">The directory exists and is not ours, or cannot be created.</exception>
    public static LocalRunDirectory Create(string clusterId)
    {
        var path = LocalStateDirectory.RunDirectoryOf(clusterId);
        var marker = System.IO.Path.Combine(path, MarkerFileName);
        if (Directory.Exists(path) && !File.Exists(marker))
        {
            throw new LocalStateException($"the run directory {path} already exists and was not made by Orleans.Batch; remove it or choose another --cluster-id");
        }

        // Every level private (0700), checked when it exists already; the marker and logs are 0600.
        LocalStateDirectory.EnsureExists(path, LocalStateDirectory.RootVariable);
        if (!File.Exists(marker))
        {
            Internal.PrivateFile.WriteAllText(marker, clusterId);
        }

        return new LocalRunDirectory(path);
    }

    /// <summary>The run directory of <paramref name="clusterId"/> as it is (for reading kept logs); nothing is created.</summary>
    /// <param name="clusterId">A valid cluster id.</param>
    /// <returns>The run directory.</returns>
    public static LocalRunDirectory Of(string clusterId) => new(LocalStateDirectory.RunDirectoryOf(clusterId));

    /// <summary>Deletes the directory and what is in it, only when its marker is there; false when it was left alone.</summary>
    /// <returns>Whether it was deleted.</returns>
    public bool DeleteIfOwned()
    {
        if (!File.Exists(System.IO.Path.Combine(Path, MarkerFileName)))
        {
            return false;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
