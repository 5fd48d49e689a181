using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Batch.Hosting.LocalState.Internal;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Security.Internal;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// A cluster with TLS talks only to holders of its certificate: a plaintext TCP client, a plaintext Orleans client and
/// an Orleans client of another cluster are refused (each peer logged once), and the certificate reaches the silos
/// only through the private state beside the membership rows, never their environment or command line.
/// </summary>
[Collection(ProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterTlsTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("orleans-batch-tests-tls-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task Only_holders_of_the_cluster_certificate_get_in_and_each_refused_peer_is_logged_once()
    {
        var clusterId = $"tls-{Guid.NewGuid():N}"[..16];
        var leaks = new ProcessLeakDetector();
        await using var run = LauncherProcess.Start(leaks, ["--silos", "2", "--tls", "--cluster-id", clusterId, "--hold"], new Dictionary<string, string> { ["TMPDIR"] = _temp.FullName });
        await run.WaitForOutputAsync("Holding the cluster up", RunTimeout);
        run.StandardError.ShouldContain("Cluster TLS: on, with a fresh certificate for this cluster");

        var membership = Path.Combine(LocalStatePath.Under(_temp.FullName), "membership");
        var certificateFile = Path.Combine(membership, $"{clusterId}.tls.pem");
        File.GetUnixFileMode(certificateFile).ShouldBe(PrivateFile.Mode);
        using var clusterCertificate = ClusterCertificate.FromPem(await File.ReadAllTextAsync(certificateFile, Token));
        var gateway = ReadGateways(Path.Combine(membership, $"{clusterId}.membership.json"))[0];

        // The key never travels where other users or describers of jobs could read it.
        var silos = leaks.FindProcesses().Where(p => p != run.Id).ToList();
        silos.Count.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var silo in silos)
        {
            var environment = await File.ReadAllTextAsync($"/proc/{silo}/environ", Token);
            var commandLine = await File.ReadAllTextAsync($"/proc/{silo}/cmdline", Token);
            environment.ShouldContain("OrleansBatch__Tls__Enabled=true");
            (environment + commandLine).ShouldNotContain("PRIVATE KEY");
        }

        // A plaintext TCP client: the silo closes the connection without a word of Orleans.
        (await SendPlaintextAsync(gateway)).ShouldBeTrue("the gateway closed a plaintext connection");

        // A plaintext Orleans client and a client of another cluster (its own certificate) cannot connect.
        (await TryConnectAsync(clusterId, gateway, certificate: null)).ShouldNotBeNull("a plaintext client was refused");
        using (var other = ClusterCertificate.Create("another-cluster", TimeProvider.System))
        {
            (await TryConnectAsync(clusterId, gateway, other)).ShouldNotBeNull("another cluster's client was refused");
        }

        // The same client with this cluster's certificate gets in and reaches every silo.
        (await TryConnectAsync(clusterId, gateway, clusterCertificate, expectHosts: 2)).ShouldBeNull();

        // Three peers' worth of refusals from one address, several connections each: one line in the silo's log.
        var log = await ReadSiloLogAsync(clusterId, gateway);
        log.Split('\n').Count(l => l.Contains("Cluster TLS: refused a connection from 127.0.0.1 to the gateway port", StringComparison.Ordinal)).ShouldBe(1, log);
        log.ShouldContain("Cluster TLS: using the cluster certificate");
        log.ShouldNotContain("Authentication of the connection failed"); // Orleans' per-connection warning is kept out

        await run.SignalAsync("INT");
        (await run.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(130, run.StandardError);
        File.Exists(certificateFile).ShouldBeFalse("the certificate goes with the cluster's rows");
        Directory.EnumerateFiles(membership).ShouldBeEmpty();
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task A_certificate_the_user_brings_is_used_instead_of_a_fresh_one()
    {
        using var own = ClusterCertificate.Create("brought", TimeProvider.System);
        var path = Path.Combine(_temp.FullName, "cluster.pem");
        await File.WriteAllTextAsync(path, own.ToPem(), Token);
        var clusterId = $"tls-{Guid.NewGuid():N}"[..16];
        var leaks = new ProcessLeakDetector();
        await using var run = LauncherProcess.Start(leaks, ["--silos", "1", "--tls-certificate", path, "--cluster-id", clusterId, "--hold"], new Dictionary<string, string> { ["TMPDIR"] = _temp.FullName });
        await run.WaitForOutputAsync("Holding the cluster up", RunTimeout);

        run.StandardError.ShouldContain($"Cluster TLS: on, with the given certificate (SHA-256 {own.Thumbprint[..16]}");
        var membership = Path.Combine(LocalStatePath.Under(_temp.FullName), "membership");
        var gateway = ReadGateways(Path.Combine(membership, $"{clusterId}.membership.json"))[0];
        (await TryConnectAsync(clusterId, gateway, own, expectHosts: 1)).ShouldBeNull();

        await run.SignalAsync("INT");
        (await run.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(130, run.StandardError);
        await leaks.AssertNoneLeftAsync();
    }

    [Theory]
    [InlineData("not-a-file.pem", "--tls-certificate is 'not-a-file.pem', which is neither PEM text nor an existing file")]
    [InlineData("garbage", "--tls-certificate (file ")]
    public async Task A_certificate_that_cannot_be_used_is_refused_before_anything_starts(string file, string expected)
    {
        var path = file == "garbage" ? Path.Combine(_temp.FullName, "garbage.pem") : file;
        if (file == "garbage")
        {
            await File.WriteAllTextAsync(path, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", Token);
        }

        var leaks = new ProcessLeakDetector();
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--tls-certificate", path], RunTimeout, new Dictionary<string, string> { ["TMPDIR"] = _temp.FullName });

        exitCode.ShouldBe(2, stderr);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldStartWith($"error: {expected}");
        stderr.Trim().Split('\n').Length.ShouldBe(1, stderr);
        stderr.ShouldNotContain("not base64");
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static List<IPEndPoint> ReadGateways(string table)
    {
        var document = JsonSerializer.Deserialize(File.ReadAllText(table), LocalMembershipJsonContext.Default.LocalMembershipDocument)!;
        return [.. document.Rows
            .Where(r => r.Status == (int)SiloStatus.Active)
            .Select(r => new IPEndPoint(SiloAddress.FromParsableString(r.SiloAddress).Endpoint.Address, r.ProxyPort))];
    }

    private async Task<string> ReadSiloLogAsync(string clusterId, IPEndPoint gateway)
    {
        // The refusal is logged by the silo whose gateway was called; find its log by that port.
        var logs = Directory.GetFiles(Path.Combine(LocalStatePath.Under(_temp.FullName), "runs", clusterId, "logs"), "silo-*.log");
        return await Eventually.MatchesAsync(async () =>
        {
            foreach (var file in logs)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                var text = await new StreamReader(stream).ReadToEndAsync(Token);
                if (text.Contains("refused a connection", StringComparison.Ordinal))
                {
                    return text;
                }
            }

            return string.Empty;
        }, text => text.Length > 0, TimeSpan.FromSeconds(10), $"a silo log that says it refused a connection to {gateway}");
    }

    private static async Task<bool> SendPlaintextAsync(IPEndPoint gateway)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway, Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(new byte[64], Token);
        var buffer = new byte[256];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // A TLS alert may come before the close; nothing else does.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            return false;
        }
    }

    // Null when the client connected (and, with expectHosts, saw that many silos); else why it could not.
    private static async Task<Exception?> TryConnectAsync(string clusterId, IPEndPoint gateway, ClusterCertificate? certificate, int expectHosts = 0)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateway);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = Orleans.Batch.Hosting.Configuration.OrleansBatchConfiguration.DefaultServiceId;
            });
            if (certificate is not null)
            {
                client.UseTls(o => ClusterTls.ConfigureClient(o, certificate));
            }
        });
        using var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await host.StartAsync(timeout.Token);
            var hosts = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(timeout.Token);
            hosts.Count.ShouldBe(expectHosts);
            return null;
        }
        catch (Exception exception) when (exception is not Shouldly.ShouldAssertException)
        {
            return exception;
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await host.StopAsync(stop.Token);
            }
            catch (Exception)
            {
                // A client that never connected may not stop cleanly; the host is disposed either way.
            }
        }
    }
}
