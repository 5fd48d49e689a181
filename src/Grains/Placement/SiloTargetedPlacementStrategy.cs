namespace Orleans.Batch.Grains.Placement;

/// <summary>
/// Places an activation on the silo whose name equals the grain's string key, so that the manager can run
/// code on a chosen silo: the equivalent of Julia's <c>remotecall_fetch(f, worker)</c>.
/// </summary>
/// <remarks>
/// Grains using this strategy must have string keys (<see cref="IGrainWithStringKey"/>); the key is the silo
/// name (<c>local-0</c> for a local process, the Batch job id such as <c>6f1c…:3</c> on AWS Batch).
/// </remarks>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class SiloTargetedPlacementStrategy : PlacementStrategy
{
    /// <summary>The shared instance.</summary>
    public static SiloTargetedPlacementStrategy Instance { get; } = new();
}
