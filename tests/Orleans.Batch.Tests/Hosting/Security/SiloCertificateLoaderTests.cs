using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Security.Internal;
using Orleans.Configuration;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Tests.Hosting.Security;

/// <summary>A silo of a TLS cluster takes its certificate from beside the membership rows, or does not start.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SiloCertificateLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleans-batch-tests-certs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_silo_loads_the_certificate_its_manager_published_in_a_private_file()
    {
        var store = new FileClusterCertificateStore(new LocalMembershipOptions { Directory = _directory });
        using var published = ClusterCertificate.Create("c1", TimeProvider.System);
        await store.PublishAsync("c1", published.ToPem(), TestContext.Current.CancellationToken);
        using var holder = new SiloCertificate();

        await Loader(store, holder, "c1", TimeProvider.System).LoadAsync(TestContext.Current.CancellationToken);

        holder.Current.Thumbprint.ShouldBe(published.Thumbprint);
        File.GetUnixFileMode(Path.Combine(_directory, "c1.tls.pem")).ShouldBe(Orleans.Batch.Hosting.LocalState.Internal.PrivateFile.Mode);
        Directory.EnumerateFiles(_directory).Select(Path.GetFileName).ShouldBe(["c1.tls.pem"], "the temporary file was moved into place");
    }

    [Fact]
    public async Task A_silo_whose_cluster_has_no_certificate_does_not_start_and_says_why()
    {
        var store = new FileClusterCertificateStore(new LocalMembershipOptions { Directory = _directory });
        var time = new FakeTimeProvider();
        using var holder = new SiloCertificate();

        var loading = Loader(store, holder, "c2", time).LoadAsync(TestContext.Current.CancellationToken);
        while (!loading.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(() => loading);
        error.Message.ShouldStartWith($"OrleansBatch:Tls:Enabled is true, but cluster c2 has no certificate in {Path.Combine(_directory, "c2.tls.pem")}");
        Should.Throw<InvalidOperationException>(() => holder.Current);
    }

    private static SiloCertificateLoader Loader(IClusterCertificateStore store, SiloCertificate holder, string clusterId, TimeProvider time) =>
        new(store, holder, MsOptions.Create(new ClusterOptions { ClusterId = clusterId }), time, NullLogger<SiloCertificateLoader>.Instance);
}
