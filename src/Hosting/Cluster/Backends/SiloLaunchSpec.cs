namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>What to launch: how many silos, for which cluster, with which configuration.</summary>
/// <param name="ClusterId">The cluster the silos join.</param>
/// <param name="Count">How many silos to launch in this submission (a cluster may be grown by further submissions).</param>
/// <param name="Settings">
/// What every silo is told (the manager → silo contract); backends add what only they know (a local silo's name,
/// its manager's process) and pass it as environment variables.
/// </param>
public sealed record SiloLaunchSpec(string ClusterId, int Count, Configuration.SiloSettings Settings)
{
    /// <summary>
    /// The cluster's budget of replacements for silos lost to their infrastructure. A backend that starts a lost
    /// silo again itself asks it first (<see cref="SiloReplacementBudget.TryAccept"/>); null or empty: no replacements.
    /// </summary>
    public SiloReplacementBudget? Replacements { get; init; }
}
