using System.Net;
using Orleans.Batch.Grains.Placement;
using Orleans.Runtime;

namespace Orleans.Batch.Launcher.Grains.Demo;

/// <summary>Reports the identity of the silo it was placed on.</summary>
[SiloTargetedPlacement]
public sealed class SiloIdentityGrain(ILocalSiloDetails silo) : Grain, ISiloIdentityGrain
{
    /// <inheritdoc />
    public Task<SiloIdentity> GetIdentityAsync() => Task.FromResult(new SiloIdentity(
        silo.Name,
        silo.SiloAddress.ToParsableString(),
        Dns.GetHostName(),
        Environment.ProcessId));
}
