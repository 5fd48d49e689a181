using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application;

/// <summary>
/// Code the manager runs against a launched cluster: the part of a Julia script after <c>addprocs</c>. Register it
/// with <see cref="OrleansBatchApplicationBuilder.AddWorkload(IClusterWorkload)"/>; <c>--workload NAME</c> selects it.
/// </summary>
public interface IClusterWorkload
{
    /// <summary>The name <c>--workload</c> selects it by.</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Checks the workload's options before anything starts; throws <see cref="WorkloadOptionException"/> naming the
    /// option. The default accepts none, so a misspelt option is an error rather than ignored.
    /// </summary>
    /// <param name="options">The <c>--workload-option KEY=VALUE</c> pairs.</param>
    void Validate(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count > 0)
        {
            throw new WorkloadOptionException($"--workload-option {Orleans.Batch.Hosting.Configuration.InputText.Quote(options.Keys.First())} is not an option of the {Name} workload (it takes none)");
        }
    }

    /// <summary>Runs the workload. Results go to <see cref="WorkloadContext.Output"/>.</summary>
    /// <param name="cluster">The launched cluster: its silos, its client, per-silo grains.</param>
    /// <param name="context">Where results and progress go, and the workload's options.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C or SIGTERM, and when too few silos remain.</param>
    /// <returns>A task that completes when the workload is done.</returns>
    Task RunAsync(BatchCluster cluster, WorkloadContext context, CancellationToken cancellationToken);
}
