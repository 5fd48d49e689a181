namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>What a backend's tear-down did.</summary>
/// <param name="StoppedGracefully">Silos that stopped within the grace period.</param>
/// <param name="Killed">Silos that had to be forced.</param>
/// <param name="Description">A one-line account, e.g. "1 TerminateJob for array job 1234".</param>
public sealed record TeardownOutcome(int StoppedGracefully, int Killed, string Description);
