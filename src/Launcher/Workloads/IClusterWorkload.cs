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

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Checks the workload's options before anything starts; throws <see cref="WorkloadOptionException"/>
    /// naming the option.
    /// </summary>
    void Validate(IReadOnlyDictionary<string, string> options) { }

    /// <summary>Runs the workload. Results go to <see cref="WorkloadContext.Output"/>.</summary>
    Task RunAsync(BatchCluster cluster, WorkloadContext context, CancellationToken cancellationToken);
}
