using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>
/// Loads the cluster's certificate from the manager's store at the very first stage of the silo's start, before it
/// listens or connects: a silo of a TLS cluster never opens a plaintext connection, and one whose manager published
/// no certificate does not start.
/// </summary>
internal sealed partial class SiloCertificateLoader(
    IClusterCertificateStore store,
    SiloCertificate certificate,
    IOptions<ClusterOptions> cluster,
    TimeProvider time,
    ILogger<SiloCertificateLoader> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    // The manager publishes before it submits a silo, so the first read finds it; retries cover a transient failure.
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloCertificateLoader), ServiceLifecycleStage.First, LoadAsync);

    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        var clusterId = cluster.Value.ClusterId!;
        for (var attempt = 0; ; attempt++)
        {
            string? pem;
            try
            {
                pem = await store.ReadAsync(clusterId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException && attempt < Retries.Length)
            {
                LogReadFailed(logger, store.Describe(clusterId), exception.Message);
                await Task.Delay(Retries[attempt], time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (pem is null && attempt < Retries.Length)
            {
                await Task.Delay(Retries[attempt], time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (pem is null)
            {
                throw new InvalidOperationException(
                    $"{ClusterTlsOptions.EnabledKey} is true, but cluster {clusterId} has no certificate in {store.Describe(clusterId)}: " +
                    "the manager publishes it before it starts any silo, so this silo belongs to a cluster that is gone or that runs without TLS.");
            }

            try
            {
                var loaded = ClusterCertificate.FromPem(pem);
                certificate.Set(loaded);
                LogLoaded(logger, loaded.Thumbprint);
                return;
            }
            catch (CryptographicException exception)
            {
                throw new InvalidOperationException($"The certificate of cluster {clusterId} in {store.Describe(clusterId)} cannot be read: {exception.Message}", exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster TLS: using the cluster certificate (SHA-256 {Thumbprint}) for every connection")]
    private static partial void LogLoaded(ILogger logger, string thumbprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster TLS: reading the cluster certificate from {Where} failed ({Reason}); retrying")]
    private static partial void LogReadFailed(ILogger logger, string where, string reason);
}
