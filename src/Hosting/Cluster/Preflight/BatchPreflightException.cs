namespace Orleans.Batch.Hosting.Cluster.Preflight;

/// <summary>
/// The launch was refused before anything was submitted: a preflight check found that the silos would wait forever
/// or fail at once (a missing or disabled queue, no valid compute environment, an inactive job definition, a silo
/// larger than any instance). <see cref="Exception.Message"/> is the first failure, one line with its fix.
/// </summary>
public sealed class BatchPreflightException : Exception
{
    /// <summary>Creates the exception for a report that blocks the launch.</summary>
    /// <param name="report">The report.</param>
    public BatchPreflightException(PreflightReport report)
        : base((report ?? throw new ArgumentNullException(nameof(report))).Failures.FirstOrDefault()?.Message ?? "preflight failed")
    {
        Report = report;
    }

    /// <summary>Every check, including the failed ones.</summary>
    public PreflightReport Report { get; }
}
