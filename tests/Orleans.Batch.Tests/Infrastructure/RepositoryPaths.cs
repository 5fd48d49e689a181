namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>Locations in the repository and in the build output that tests need.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding Orleans.Batch.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// The Launcher's dll in its own build output (not the copy next to the tests, whose dependency manifest
    /// belongs to the test project).
    /// </summary>
    public static string LauncherDll => ProjectOutput("src/Launcher", "Orleans.Batch.Launcher.dll");

    /// <summary>A file in a project's build output for the tests' configuration and target framework.</summary>
    public static string ProjectOutput(string projectFolder, string fileName)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, framework, fileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} does not exist; build the solution first (dotnet build Orleans.Batch.sln).", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.Batch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Orleans.Batch.sln above {AppContext.BaseDirectory}.");
    }
}
