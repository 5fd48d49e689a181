namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>A backend that can say why silos are still waiting to start (on AWS Batch: why they are RUNNABLE).</summary>
internal interface IWaitingSiloDiagnostics
{
    /// <summary>One line per distinct cause, each with its fix; empty when nothing is known to hold them.</summary>
    Task<IReadOnlyList<string>> DiagnoseWaitingAsync(IReadOnlyList<SiloBackendStatus> statuses, CancellationToken cancellationToken);
}
