namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>
/// One DynamoDB partition's throughput limits, which the counting proxy enforces: 3,000 read and 1,000 write units
/// per second (DynamoDB's documented per-partition maximum, whatever the table's capacity mode).
/// </summary>
internal sealed record CapacityLimits(double ReadUnitsPerSecond = 3000, double WriteUnitsPerSecond = 1000);
