namespace Orleans.Batch.Application.Workloads;

/// <summary>The workloads an application registered; <c>--workload</c> selects one, the first is the default.</summary>
internal sealed class WorkloadCatalog(IReadOnlyList<IClusterWorkload> workloads)
{
    /// <summary>The names, in the order <c>--help</c> lists them.</summary>
    public IEnumerable<string> Names => workloads.Select(w => w.Name);

    /// <summary>The workload run when <c>--workload</c> is not given.</summary>
    public IClusterWorkload Default => workloads[0];

    /// <summary>"name: description" lines for <c>--help</c>.</summary>
    public string Describe() => string.Join("; ", workloads.Select(w => $"{w.Name}: {w.Description}"));

    /// <summary>The workload called <paramref name="name"/>.</summary>
    public IClusterWorkload Get(string name) =>
        workloads.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--workload must be one of {string.Join(", ", Names)}, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(name)}", nameof(name));
}
