using System.Diagnostics;
using System.Net;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// An OCI registry on 127.0.0.1 (Debian's <c>docker-registry</c>, the CNCF distribution registry) with its storage in a
/// temporary directory: a stand-in for Amazon ECR. Disposing it stops the registry and deletes what was pushed.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private LocalRegistry(Process process, string directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>host:port, e.g. 127.0.0.1:41234.</summary>
    public string Address { get; }

    public static async Task<LocalRegistry> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("registry-").FullName;
        var port = Orleans.Batch.Hosting.Silo.FreePortFinder.FindFreePorts(IPAddress.Loopback, 1)[0];
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "data")}
            http:
              addr: 127.0.0.1:{port}
            """);

        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException("docker-registry is not installed: apt-get install -y docker-registry (.ci/run does this).", ex);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, directory, $"127.0.0.1:{port}");
        using var http = new HttpClient();
        await Eventually.MatchesAsync(
            async () =>
            {
                try
                {
                    return (await http.GetAsync(new Uri($"http://{registry.Address}/v2/"))).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20),
            "the local registry answers");
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
