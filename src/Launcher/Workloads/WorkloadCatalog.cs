namespace Orleans.Batch.Launcher.Workloads;

/// <summary>The workloads <c>--workload</c> can select.</summary>
internal static class WorkloadCatalog
{
    private static readonly IClusterWorkload[] Workloads = [new DemoWorkload()];

    /// <summary>The names, in the order <c>--help</c> lists them.</summary>
    public static IEnumerable<string> Names => Workloads.Select(w => w.Name);

    /// <summary>The workload called <paramref name="name"/>.</summary>
    public static IClusterWorkload Get(string name) =>
        Workloads.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--workload must be one of {string.Join(", ", Names)}, got '{name}'", nameof(name));
}
