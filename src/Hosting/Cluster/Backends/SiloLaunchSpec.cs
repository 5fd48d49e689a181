namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>What to launch: how many silos, for which cluster, with which configuration.</summary>
/// <param name="ClusterId">The cluster the silos join.</param>
/// <param name="Count">How many silos to launch (the maximum the manager waits for).</param>
/// <param name="Configuration">
/// Configuration every silo gets (keys such as <c>OrleansBatch:ClusterId</c>; backends pass them as
/// environment variables with <c>__</c> separators).
/// </param>
public sealed record SiloLaunchSpec(string ClusterId, int Count, IReadOnlyDictionary<string, string> Configuration);
