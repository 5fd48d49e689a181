using Orleans.Batch.Application;
using Orleans.Batch.Launcher.Grains.Demo;
using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Launcher.Workloads;

/// <summary>
/// The demo, after the original Julia one:
/// <code>
/// addprocs(AWSBatchManager(4)); println("Num Procs: ", nprocs())
/// @everywhere id = myid()
/// for i in workers() println("Worker $i: ", remotecall_fetch(() -> id, i)) end
/// </code>
/// Each value is computed on the silo it describes, by a grain placed there.
/// </summary>
internal sealed class DemoWorkload : IClusterWorkload
{
    public const string WorkloadName = "demo";

    public string Name => WorkloadName;

    public string Description => "each silo reports its name, address, host and process id (the Julia demo)";

    public async Task RunAsync(BatchCluster cluster, WorkloadContext context, CancellationToken cancellationToken)
    {
        var output = context.Output;
        await output.WriteLineAsync($"Num silos: {cluster.Silos.Count}").ConfigureAwait(false);
        foreach (var silo in cluster.Silos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var identity = await cluster.GetGrainOnSilo<ISiloIdentityGrain>(silo).GetIdentityAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (identity.SiloName != silo.Name)
            {
                throw new InvalidOperationException($"The grain for silo {silo.Index} ({silo.Name}) ran on {identity.SiloName}: silo-targeted placement is not registered on the silos.");
            }

            await output.WriteLineAsync($"Silo {silo.Index}: {identity}").ConfigureAwait(false);
        }
    }
}
