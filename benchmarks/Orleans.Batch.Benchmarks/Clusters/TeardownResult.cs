using Orleans.Batch.Benchmarks.Infrastructure;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>What a tear-down took.</summary>
/// <param name="Duration">From its start to every silo process gone (and, for ours, the membership file gone).</param>
/// <param name="Timeline">Moments on the way.</param>
/// <param name="Killed">Silos that had to be killed after the grace period.</param>
/// <param name="Clock">The tear-down's clock, to place silo log lines.</param>
internal sealed record TeardownResult(TimeSpan Duration, Timeline Timeline, int Killed, Clock Clock);
