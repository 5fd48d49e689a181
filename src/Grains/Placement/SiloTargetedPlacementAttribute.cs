using Orleans.Placement;

namespace Orleans.Batch.Grains.Placement;

/// <summary>
/// Marks a grain class whose activations are placed on the silo named by the grain key.
/// Silos must register the director with <see cref="SiloTargetedPlacementExtensions.AddSiloTargetedPlacement"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloTargetedPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloTargetedPlacementAttribute()
        : base(SiloTargetedPlacementStrategy.Instance)
    {
    }
}
