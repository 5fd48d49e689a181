namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>Which way a cluster is run.</summary>
internal enum Side
{
    /// <summary>Orleans.Batch: the hosting API launching the Launcher's <c>silo</c> role, file membership.</summary>
    Ours,

    /// <summary>Plain Orleans: Baseline.Silo processes with development clustering, a static-gateway client.</summary>
    Baseline,
}
