using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Launcher.Grains.Demo;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>The demo workload on both sides: one silo-targeted call per silo, checked to have run there.</summary>
internal static class DemoCalls
{
    public static async Task RunAsync(IBenchCluster cluster, CancellationToken cancellationToken)
    {
        foreach (var silo in cluster.Silos)
        {
            var identity = await cluster.Client.GetGrain<ISiloIdentityGrain>(silo.Name).GetIdentityAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            if (identity.SiloName != silo.Name || identity.ProcessId != silo.ProcessId)
            {
                throw new InvalidOperationException($"The identity grain of {silo.Name} (pid {silo.ProcessId}) ran on {identity}.");
            }
        }
    }
}
