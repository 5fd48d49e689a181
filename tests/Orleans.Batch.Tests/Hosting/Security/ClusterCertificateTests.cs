using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Security.Internal;

namespace Orleans.Batch.Tests.Hosting.Security;

/// <summary>The cluster certificate: made fresh per cluster, handed over as PEM, and the only one a peer may present.</summary>
public sealed class ClusterCertificateTests
{
    [Fact]
    public void A_fresh_certificate_names_its_cluster_serves_both_ends_and_survives_the_trip_through_PEM()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        using var created = ClusterCertificate.Create("ob-20261207-120000-abcdef", time);

        created.Certificate.Subject.ShouldBe("CN=orleans-batch cluster ob-20261207-120000-abcdef, O=Orleans.Batch");
        created.Certificate.HasPrivateKey.ShouldBeTrue();
        created.Certificate.NotBefore.ToUniversalTime().ShouldBe(time.GetUtcNow().UtcDateTime.AddHours(-1));
        created.Certificate.NotAfter.ToUniversalTime().ShouldBe(time.GetUtcNow().UtcDateTime.Add(ClusterCertificate.Validity));
        created.Certificate.GetECDsaPublicKey().ShouldNotBeNull().KeySize.ShouldBe(256);

        var pem = created.ToPem();
        pem.ShouldContain("-----BEGIN CERTIFICATE-----");
        pem.ShouldContain("-----BEGIN PRIVATE KEY-----");
        using var received = ClusterCertificate.FromPem(pem);
        received.Thumbprint.ShouldBe(created.Thumbprint);
        received.Certificate.HasPrivateKey.ShouldBeTrue();
    }

    [Fact]
    public void Only_the_very_same_certificate_is_accepted()
    {
        using var cluster = ClusterCertificate.Create("c1", TimeProvider.System);
        using var sameClusterAgain = ClusterCertificate.FromPem(cluster.ToPem());
        using var otherCluster = ClusterCertificate.Create("c1", TimeProvider.System);

        cluster.IsPresentedBy(sameClusterAgain.Certificate).ShouldBeTrue();
        cluster.IsPresentedBy(otherCluster.Certificate).ShouldBeFalse("a certificate for the same cluster id, made elsewhere, is another certificate");
    }

    [Fact]
    public void A_PEM_without_a_private_key_is_refused()
    {
        using var cluster = ClusterCertificate.Create("c1", TimeProvider.System);
        var certificateOnly = cluster.Certificate.ExportCertificatePem();

        Should.Throw<CryptographicException>(() => ClusterCertificate.FromPem(certificateOnly));
    }

    [Fact]
    public void A_certificate_setting_that_does_not_load_is_one_line_naming_it_without_the_PEM()
    {
        const string broken = "-----BEGIN CERTIFICATE-----\nc2VjcmV0LWJ1dC1icm9rZW4=\n-----END CERTIFICATE-----\n";

        var failures = BatchClusterOptionsValidator.Check(new BatchClusterOptions { TlsCertificate = broken }).ToList();

        failures.ShouldHaveSingleItem().ShouldStartWith("OrleansBatch:Cluster:TlsCertificate (PEM text) must hold a certificate and its unencrypted private key in PEM");
        failures[0].ShouldNotContain("c2VjcmV0");
    }

    [Fact]
    public void A_certificate_given_as_PEM_text_in_configuration_is_accepted_and_turns_TLS_on()
    {
        using var own = ClusterCertificate.Create("mine", TimeProvider.System);
        var options = new BatchClusterOptions { TlsCertificate = own.ToPem() };

        BatchClusterOptionsValidator.Check(options).ShouldBeEmpty();
        options.EffectiveTls().ShouldBeTrue();
    }

    [Fact]
    public void A_certificate_with_TLS_turned_off_is_a_contradiction()
    {
        using var own = ClusterCertificate.Create("mine", TimeProvider.System);

        BatchClusterOptionsValidator.Check(new BatchClusterOptions { TlsCertificate = own.ToPem(), Tls = false })
            .ShouldHaveSingleItem().ShouldBe("OrleansBatch:Cluster:TlsCertificate is set but OrleansBatch:Cluster:Tls is false; unset one of them");
    }

    [Theory]
    [InlineData("local", null, false)]
    [InlineData("local", true, true)]
    [InlineData("aws-batch", null, true)]
    [InlineData("aws-batch", false, false)]
    public void TLS_is_on_by_default_only_where_traffic_leaves_the_machine(string backend, bool? tls, bool expected) =>
        new BatchClusterOptions { Backend = backend, Tls = tls }.EffectiveTls().ShouldBe(expected);
}
