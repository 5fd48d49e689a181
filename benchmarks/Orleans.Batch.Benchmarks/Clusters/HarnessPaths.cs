namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>The executables the harness starts.</summary>
/// <param name="Launcher">The Orleans.Batch Launcher app host (run with <c>silo</c> for ours).</param>
/// <param name="BaselineSilo">The Baseline.Silo app host.</param>
/// <param name="RepositoryRoot">The repository (for the commit and the results folder).</param>
internal sealed record HarnessPaths(string Launcher, string BaselineSilo, string RepositoryRoot)
{
    /// <summary>
    /// Finds the executables next to this harness's build output: same configuration and target framework
    /// (run.sh builds all three in Release).
    /// </summary>
    public static HarnessPaths Discover(string? launcher, string? baselineSilo)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent?.Name ?? "Release";
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Orleans.Batch.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"Cannot find the repository (Orleans.Batch.sln) above {AppContext.BaseDirectory}.");
        }

        var paths = new HarnessPaths(
            launcher ?? Path.Combine(root.FullName, "src", "Launcher", "bin", configuration, framework, "Orleans.Batch.Launcher"),
            baselineSilo ?? Path.Combine(root.FullName, "benchmarks", "Baseline.Silo", "bin", configuration, framework, "Baseline.Silo"),
            root.FullName);
        foreach (var file in new[] { paths.Launcher, paths.BaselineSilo })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file} does not exist; build first (benchmarks/run.sh builds everything in Release).", file);
            }
        }

        return paths;
    }
}
