using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Launcher.Workloads;

/// <summary>
/// Code the manager runs against a launched cluster: the part of a Julia script after <c>addprocs</c>. Add
/// your own by implementing this and registering it in <see cref="WorkloadCatalog"/>.
/// </summary>
internal interface IClusterWorkload
{
    /// <summary>The name <c>--workload</c> selects it by.</summary>
    string Name { get; }

    /// <summary>Runs the workload. Output for the user goes to <paramref name="output"/>.</summary>
    Task RunAsync(BatchCluster cluster, TextWriter output, CancellationToken cancellationToken);
}
