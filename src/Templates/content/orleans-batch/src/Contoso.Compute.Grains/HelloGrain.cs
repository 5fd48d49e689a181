using Orleans.Batch.Grains.Placement;

namespace Contoso.Compute.Grains;

/// <summary>
/// Runs on the silo its key names: <c>cluster.GetGrainOnSilo&lt;IHelloGrain&gt;(silo)</c> is Julia's
/// <c>remotecall_fetch(f, i)</c>.
/// </summary>
[SiloTargetedPlacement]
public sealed class HelloGrain(ILocalSiloDetails silo) : Grain, IHelloGrain
{
    /// <inheritdoc />
    public Task<string> SayHelloAsync() =>
        Task.FromResult($"hello from {silo.Name} on {Environment.MachineName}, pid {Environment.ProcessId}");
}
