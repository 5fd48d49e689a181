using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>
/// The one certificate of a cluster: every silo and the manager present it, and accept a peer only when the peer
/// presents the very same certificate (pinned by its bytes, so no certificate authority and no host names are
/// involved). Made fresh by the manager for each cluster, or brought by the user.
/// </summary>
internal sealed class ClusterCertificate : IDisposable
{
    /// <summary>How long a generated certificate is valid: far beyond any cluster; it is pinned, and deleted with the cluster.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(366);

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private ClusterCertificate(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The SHA-256 thumbprint, for logs and tests.</summary>
    public string Thumbprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>
    /// Creates a self-signed certificate for <paramref name="clusterId"/>: an ECDSA P-256 key (fast handshakes), usable
    /// for both ends of a TLS connection.
    /// </summary>
    /// <param name="clusterId">The cluster, named in the subject.</param>
    /// <param name="time">The clock: valid from an hour ago (clock skew between hosts) for <see cref="Validity"/>.</param>
    /// <returns>The certificate.</returns>
    public static ClusterCertificate Create(string clusterId, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName($"orleans-batch cluster {clusterId}");
        subject.AddOrganizationName("Orleans.Batch");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication), new Oid(ClientAuthentication)], false));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddHours(-1), now.Add(Validity));
        return FromPem(ToPem(created));
    }

    /// <summary>
    /// Reads a certificate and its unencrypted private key from PEM text (<c>CERTIFICATE</c> and <c>PRIVATE KEY</c>,
    /// <c>EC PRIVATE KEY</c> or <c>RSA PRIVATE KEY</c> blocks).
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="CryptographicException">The text holds no certificate, or no key that matches it.</exception>
    public static ClusterCertificate FromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrEmpty(pem);
        using var loaded = X509Certificate2.CreateFromPem(pem, pem);

        // Re-imported so that the key is usable by SslStream on every platform (an ephemeral key is not, on Windows).
        var certificate = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException("the certificate has no private key");
        }

        return new ClusterCertificate(certificate);
    }

    /// <summary>Reads a certificate brought by the user: PEM text, or the path of a PEM file.</summary>
    /// <param name="pathOrPem">The PEM text (starting with <c>-----BEGIN</c>) or a file path.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="CryptographicException">The PEM holds no certificate or no matching key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ClusterCertificate Load(string pathOrPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrPem);
        return FromPem(IsPem(pathOrPem) ? pathOrPem : File.ReadAllText(pathOrPem));
    }

    /// <summary>Whether <paramref name="value"/> is PEM text rather than a path.</summary>
    /// <param name="value">The setting.</param>
    /// <returns>True for PEM text.</returns>
    public static bool IsPem(string value) => value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal);

    /// <summary>The certificate and its private key (PKCS#8) as PEM text: what silos receive.</summary>
    /// <returns>The PEM text.</returns>
    public string ToPem() => ToPem(Certificate);

    /// <summary>Whether <paramref name="presented"/> is this very certificate.</summary>
    /// <param name="presented">The certificate a peer presented.</param>
    /// <returns>True when the bytes are the same.</returns>
    public bool IsPresentedBy(X509Certificate2 presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(presented.RawData, Certificate.RawData);

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private static string ToPem(X509Certificate2 certificate)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new CryptographicException("the certificate's private key is neither ECDSA nor RSA");
        using (key)
        {
            var text = new StringBuilder();
            text.AppendLine(certificate.ExportCertificatePem());
            text.AppendLine(key.ExportPkcs8PrivateKeyPem());
            return text.ToString();
        }
    }
}
