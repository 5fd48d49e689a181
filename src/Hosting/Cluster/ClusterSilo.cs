using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>A live silo of the cluster, as user code sees it: Julia's worker id, with a name and an address.</summary>
/// <param name="Index">The silo's index in the launch, 0-based (the Batch array index).</param>
/// <param name="Name">
/// The silo name (Batch job id, or <c>local-&lt;index&gt;</c>); the key of silo-targeted grains.
/// </param>
/// <param name="Address">The silo's Orleans address.</param>
public sealed record ClusterSilo(int Index, string Name, SiloAddress Address)
{
    /// <inheritdoc />
    public override string ToString() => $"silo {Index} ({Name}) at {Address.Endpoint}";
}
