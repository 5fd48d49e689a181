using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>The files under deploy/ that the deployment tests read or run.</summary>
internal static class DeployFiles
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "deploy");

    public static string Template => Path.Combine(Directory, "cloudformation", "orleans-batch.yaml");

    public static string Readme => Path.Combine(Directory, "README.md");

    public static string Dockerfile => Path.Combine(Directory, "Dockerfile");

    public static string JobDefinitionsDirectory => Path.Combine(Directory, "job-definitions");

    public static string ScriptsDirectory => Path.Combine(Directory, "scripts");

    public static string JobDefinition(string kind) => Path.Combine(JobDefinitionsDirectory, kind + ".json");

    public static string Script(string name) => Path.Combine(ScriptsDirectory, name);

    /// <summary>The kinds of job definition shipped (file names without .json).</summary>
    public static IEnumerable<string> JobDefinitionKinds() =>
        System.IO.Directory.GetFiles(JobDefinitionsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>The shell scripts shipped.</summary>
    public static IEnumerable<string> ScriptNames() =>
        System.IO.Directory.GetFiles(ScriptsDirectory, "*.sh").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
