using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>Builds a <see cref="SiloAddressResolver"/> over a real, proxy-free HttpClient, with a logger that keeps entries.</summary>
internal sealed class ResolverHarness : IDisposable
{
    private readonly HttpClient _httpClient = new(new SocketsHttpHandler { UseProxy = false });

    public ListLogger<SiloAddressResolver> Logger { get; } = new();

    /// <summary>Options that touch nothing outside the test: no environment lookups, no metadata endpoints.</summary>
    public static SiloAddressOptions Isolated() => new()
    {
        UseEcsTaskMetadata = false,
        Ec2InstanceMetadata = Ec2InstanceMetadataMode.Disabled,
    };

    public SiloAddressResolver Create(SiloAddressOptions options, INetworkInterfaceSource? interfaces = null, TimeProvider? timeProvider = null) =>
        new(Options.Create(options), _httpClient, interfaces ?? FakeNetworkInterfaces.Ec2Host(), timeProvider ?? TimeProvider.System, Logger);

    public Task<SiloAddressResolution> ResolveAsync(SiloAddressOptions options, INetworkInterfaceSource? interfaces = null) =>
        Create(options, interfaces).ResolveAsync(TestContext.Current.CancellationToken);

    public void Dispose() => _httpClient.Dispose();
}
