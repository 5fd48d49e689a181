using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Orleans.Batch.Grains.Placement;

/// <summary>
/// Chooses the active silo whose name equals the grain key. Fails loudly rather than placing the grain
/// elsewhere: a caller that asked for silo X must never silently get silo Y.
/// </summary>
internal sealed class SiloTargetedPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    /// <inheritdoc />
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var siloName = target.GrainIdentity.Key.ToString();
        var compatible = context.GetCompatibleSilos(target);

        var chosen = Find(membership.CurrentSnapshot, siloName, compatible);
        if (chosen is null)
        {
            // This silo's view may lag the table by one refresh period right after the target joined.
            await membership.Refresh(default, CancellationToken.None).ConfigureAwait(false);
            chosen = Find(membership.CurrentSnapshot, siloName, compatible);
        }

        return chosen ?? throw new SiloNotFoundException(siloName, membership.CurrentSnapshot);
    }

    private static SiloAddress? Find(ClusterMembershipSnapshot snapshot, string siloName, SiloAddress[] compatible)
    {
        SiloAddress? best = null;
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active || !string.Equals(member.Name, siloName, StringComparison.Ordinal)
                || Array.IndexOf(compatible, member.SiloAddress) < 0)
            {
                continue;
            }

            // A restarted silo keeps its name; the newest generation is the live one.
            if (best is null || member.SiloAddress.Generation > best.Generation)
            {
                best = member.SiloAddress;
            }
        }

        return best;
    }
}
