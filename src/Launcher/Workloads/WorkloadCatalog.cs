namespace Orleans.Batch.Launcher.Workloads;

/// <summary>The workloads <c>--workload</c> can select.</summary>
internal static class WorkloadCatalog
{
    private static readonly IClusterWorkload[] Workloads = [new DemoWorkload(), new MonteCarloWorkload()];

    /// <summary>The names, in the order <c>--help</c> lists them.</summary>
    public static IEnumerable<string> Names => Workloads.Select(w => w.Name);

    /// <summary>"name: description" lines for <c>--help</c>.</summary>
    public static string Describe() => string.Join("; ", Workloads.Select(w => $"{w.Name}: {w.Description}"));

    /// <summary>The workload called <paramref name="name"/>.</summary>
    public static IClusterWorkload Get(string name) =>
        Workloads.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--workload must be one of {string.Join(", ", Names)}, got '{name}'", nameof(name));
}
