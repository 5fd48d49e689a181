namespace Orleans.Batch.Hosting.Cluster;

/// <summary>A silo that died or stopped while the cluster was running.</summary>
/// <param name="Silo">The silo.</param>
/// <param name="Reason">What the backend and the membership table say about it (exit code, status reason, Dead).</param>
/// <param name="LogLocation">Where its output is (a file, or a CloudWatch Logs stream), when known.</param>
public sealed record LostSilo(ClusterSilo Silo, string Reason, string? LogLocation);
