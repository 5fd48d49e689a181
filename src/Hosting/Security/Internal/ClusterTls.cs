using System.Net.Security;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;

namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>
/// TLS between the members of one cluster: TLS 1.3, both ends present the cluster's certificate, and each accepts
/// only that certificate (mutual authentication by pinning; chain and host name play no part).
/// </summary>
internal static class ClusterTls
{
    /// <summary>The Orleans logger that reports every failed handshake; the cluster logs each refused peer once instead.</summary>
    public const string HandshakeFailureCategory = "Orleans.Connections.Security.TlsServerConnectionMiddleware";

    /// <summary>Configures a silo's TLS: its certificate comes from <paramref name="certificate"/> once it is loaded.</summary>
    /// <param name="options">Orleans' TLS options.</param>
    /// <param name="certificate">The silo's holder of the cluster certificate.</param>
    public static void ConfigureSilo(TlsOptions options, SiloCertificate certificate)
    {
        Configure(options, presented => certificate.Current.IsPresentedBy(presented));
        options.LocalServerCertificateSelector = (_, _) => certificate.Current.Certificate;
        options.LocalClientCertificateSelector = (_, _, _, _, _) => certificate.Current.Certificate;
    }

    /// <summary>Configures the manager's client: it presents and accepts <paramref name="certificate"/>.</summary>
    /// <param name="options">Orleans' TLS options.</param>
    /// <param name="certificate">The cluster certificate.</param>
    public static void ConfigureClient(TlsOptions options, ClusterCertificate certificate)
    {
        Configure(options, certificate.IsPresentedBy);
        options.LocalCertificate = certificate.Certificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
    }

    /// <summary>Keeps Orleans' per-connection handshake warnings out (the refusal is logged once per peer).</summary>
    /// <param name="logging">The host's logging.</param>
    public static void QuietHandshakeFailures(ILoggingBuilder logging) =>
        logging.AddFilter(HandshakeFailureCategory, LogLevel.Error);

    private static void Configure(TlsOptions options, Func<System.Security.Cryptography.X509Certificates.X509Certificate2, bool> accept)
    {
        options.SslProtocols = SslProtocols.Tls13;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;

        // The certificate is self-signed, so the chain always "fails": what counts is that it is the cluster's.
        options.RemoteCertificateValidation = (presented, _, _) => accept(presented);

        // AES-128-GCM: as strong as the cluster needs and the cheapest suite per byte with AES instructions (OpenSSL
        // otherwise picks AES-256-GCM); every grain call is encrypted once per hop.
        if (OperatingSystem.IsLinux())
        {
            PreferFastSuites(options);
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void PreferFastSuites(TlsOptions options)
    {
        var suites = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384]);
        options.OnAuthenticateAsServer = (_, tls) => ((SslServerAuthenticationOptions)tls.SslServerAuthenticationOptions).CipherSuitesPolicy = suites;
        options.OnAuthenticateAsClient = (_, tls) => ((SslClientAuthenticationOptions)tls.SslClientAuthenticationOptions).CipherSuitesPolicy = suites;
    }
}
