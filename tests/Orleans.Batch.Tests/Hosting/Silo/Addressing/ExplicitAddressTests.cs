using System.Net;
using System.Net.Sockets;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>The first source: <c>OrleansBatch:Silo:AdvertisedAddress</c>.</summary>
public sealed class ExplicitAddressTests : IDisposable
{
    private readonly ResolverHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Task<SiloAddressResolution> ResolveAsync(string advertisedAddress)
    {
        var options = ResolverHarness.Isolated();
        options.AdvertisedAddress = advertisedAddress;
        return _harness.ResolveAsync(options);
    }

    [Theory]
    [InlineData("10.20.30.40", "10.20.30.40")]
    [InlineData(" 10.1.2.3 ", "10.1.2.3")]
    [InlineData("2600:1f14:abc:de00::5", "2600:1f14:abc:de00::5")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public async Task An_ip_literal_is_used_as_is(string setting, string expected)
    {
        var resolution = await ResolveAsync(setting);

        resolution.ShouldBe(new SiloAddressResolution(IPAddress.Parse(expected), SiloAddressSource.Explicit, "OrleansBatch:Silo:AdvertisedAddress"));
        resolution.ToString().ShouldBe($"{expected} (Explicit: OrleansBatch:Silo:AdvertisedAddress)");
    }

    [Fact]
    public async Task A_host_name_is_resolved_through_dns_preferring_ipv4()
    {
        // localhost resolves from the hosts file on every machine, with 127.0.0.1 and often ::1.
        var resolution = await ResolveAsync("localhost");

        resolution.Source.ShouldBe(SiloAddressSource.Explicit);
        resolution.Address.AddressFamily.ShouldBe(AddressFamily.InterNetwork);
        IPAddress.IsLoopback(resolution.Address).ShouldBeTrue();
        resolution.Detail.ShouldBe("OrleansBatch:Silo:AdvertisedAddress host name 'localhost'");
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_fails_naming_the_setting()
    {
        // .invalid is reserved (RFC 2606): it never resolves.
        var exception = await Should.ThrowAsync<InvalidOperationException>(() => ResolveAsync("silo-7.orleans-batch.invalid"));

        exception.Message.ShouldContain("OrleansBatch:Silo:AdvertisedAddress");
        exception.Message.ShouldContain("silo-7.orleans-batch.invalid");
        exception.InnerException.ShouldBeOfType<SocketException>();
    }
}
