using Orleans.Hosting;

namespace Orleans.Batch.Grains.Placement;

/// <summary>Registers <see cref="SiloTargetedPlacementStrategy"/> on a silo.</summary>
public static class SiloTargetedPlacementExtensions
{
    /// <summary>
    /// Adds the director for <see cref="SiloTargetedPlacementAttribute"/> grains. Every silo of the cluster
    /// must call this (the Launcher's silo role does).
    /// </summary>
    public static ISiloBuilder AddSiloTargetedPlacement(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPlacementDirector<SiloTargetedPlacementStrategy, SiloTargetedPlacementDirector>();
    }
}
