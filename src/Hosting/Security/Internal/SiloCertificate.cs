namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>
/// A silo's cluster certificate: loaded from the manager's store before the silo opens a connection
/// (<see cref="SiloCertificateLoader"/>), then used for every connection.
/// </summary>
internal sealed class SiloCertificate : IDisposable
{
    private ClusterCertificate? _current;

    /// <summary>The certificate; throws before it is loaded.</summary>
    public ClusterCertificate Current => _current ?? throw new InvalidOperationException("The cluster certificate has not been loaded yet.");

    /// <summary>Sets the loaded certificate.</summary>
    public void Set(ClusterCertificate certificate) => Interlocked.Exchange(ref _current, certificate)?.Dispose();

    /// <inheritdoc />
    public void Dispose() => _current?.Dispose();
}
