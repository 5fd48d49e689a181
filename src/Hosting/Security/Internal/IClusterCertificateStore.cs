namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>
/// Where a manager leaves its cluster's certificate for its silos: beside the cluster's membership rows, protected by
/// the same permissions, and deleted with them at tear-down. Never a job's environment or command line, which
/// <c>DescribeJobs</c> shows to anyone allowed to describe jobs.
/// </summary>
internal interface IClusterCertificateStore
{
    /// <summary>Where the certificate is kept, for people.</summary>
    string Describe(string clusterId);

    /// <summary>Stores the cluster's certificate and key (PEM), replacing any.</summary>
    Task PublishAsync(string clusterId, string pem, CancellationToken cancellationToken);

    /// <summary>The cluster's certificate and key (PEM); null when the manager has published none.</summary>
    Task<string?> ReadAsync(string clusterId, CancellationToken cancellationToken);
}

/// <summary>A membership table that can carry its cluster's certificate.</summary>
internal interface IClusterCertificateCarrier
{
    /// <summary>The store beside the cluster's rows.</summary>
    IClusterCertificateStore Certificates { get; }
}
