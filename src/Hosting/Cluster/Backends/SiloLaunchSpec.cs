namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>What to launch: how many silos, for which cluster, with which configuration.</summary>
/// <param name="ClusterId">The cluster the silos join.</param>
/// <param name="Count">How many silos to launch (the maximum the manager waits for).</param>
/// <param name="Settings">
/// What every silo is told (the manager → silo contract); backends add what only they know (a local silo's name,
/// its manager's process) and pass it as environment variables.
/// </param>
public sealed record SiloLaunchSpec(string ClusterId, int Count, Configuration.SiloSettings Settings);
