using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// The third source: the EC2 instance metadata service, faked by a real HTTP server on 127.0.0.1 that enforces
/// IMDSv2. The endpoint is given through options here; <see cref="EnvironmentTests"/> covers the environment.
/// </summary>
public sealed class Ec2InstanceMetadataTests : IDisposable
{
    private readonly ResolverHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static SiloAddressOptions OptionsFor(FakeInstanceMetadataService imds, Ec2InstanceMetadataMode mode = Ec2InstanceMetadataMode.Enabled) => new()
    {
        UseEcsTaskMetadata = false,
        Ec2InstanceMetadata = mode,
        Ec2InstanceMetadataEndpoint = imds.Endpoint,
    };

    [Fact]
    public async Task The_private_ip_is_read_with_an_imdsv2_session_token()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.LocalIPv4 = "10.0.1.23";

        var resolution = await _harness.ResolveAsync(OptionsFor(imds));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.23"));
        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
        resolution.Detail.ShouldContain("local-ipv4");
        var requests = imds.Requests;
        requests.Count.ShouldBe(2);
        requests[0].Method.ShouldBe("PUT");
        requests[0].Path.ShouldBe(FakeInstanceMetadataService.TokenPath);
        int.Parse(requests[0].Headers[FakeInstanceMetadataService.TtlHeader], System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeInRange(1, 21600);
        requests[1].Method.ShouldBe("GET");
        requests[1].Path.ShouldBe(FakeInstanceMetadataService.LocalIPv4Path);
        requests[1].Headers[FakeInstanceMetadataService.TokenHeader].ShouldStartWith("AQAEAFakeToken-");
    }

    [Fact]
    public async Task Auto_asks_when_an_endpoint_is_configured_even_off_aws()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();

        var resolution = await _harness.ResolveAsync(OptionsFor(imds, Ec2InstanceMetadataMode.Auto));

        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
    }

    [Fact]
    public async Task Disabled_does_not_contact_the_service()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();

        var resolution = await _harness.ResolveAsync(OptionsFor(imds, Ec2InstanceMetadataMode.Disabled));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        imds.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(StatusCodes.Status404NotFound)]
    [InlineData(StatusCodes.Status405MethodNotAllowed)]
    public async Task A_service_without_the_token_api_is_asked_imdsv1_style(int tokenStatus)
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.TokenStatus = tokenStatus;

        var resolution = await _harness.ResolveAsync(OptionsFor(imds));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.5"));
        imds.Requests.Count.ShouldBe(2);
        imds.Requests[1].Headers.ShouldNotContainKey(FakeInstanceMetadataService.TokenHeader);
    }

    [Fact]
    public async Task A_forbidden_token_request_means_imds_is_off_and_falls_through()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.TokenStatus = StatusCodes.Status403Forbidden;

        var resolution = await _harness.ResolveAsync(OptionsFor(imds));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        imds.Requests.ShouldHaveSingleItem().Method.ShouldBe("PUT");
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("HTTP 403");
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.LocalIPv4FailuresBeforeSuccess = 2;

        var resolution = await _harness.ResolveAsync(OptionsFor(imds));

        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
        imds.Requests.Count(r => r.Path == FakeInstanceMetadataService.LocalIPv4Path).ShouldBe(3);
    }

    [Fact]
    public async Task Server_errors_beyond_the_retry_count_fall_through()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.LocalIPv4FailuresBeforeSuccess = 10;
        var options = OptionsFor(imds);
        options.MetadataRetryCount = 1;

        var resolution = await _harness.ResolveAsync(options);

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        imds.Requests.Count(r => r.Path == FakeInstanceMetadataService.LocalIPv4Path).ShouldBe(2);
    }

    [Fact]
    public async Task A_token_request_that_gets_no_answer_falls_through_after_one_timeout()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.HangOnToken = true;
        var options = OptionsFor(imds);
        options.MetadataRequestTimeout = TimeSpan.FromMilliseconds(200);

        var stopwatch = Stopwatch.StartNew();
        var resolution = await _harness.ResolveAsync(options);
        stopwatch.Stop();

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        imds.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_instance_without_an_ipv4_address_falls_through()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.LocalIPv4Status = StatusCodes.Status404NotFound;

        var resolution = await _harness.ResolveAsync(OptionsFor(imds));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("HTTP 404");
    }

    [Theory]
    [InlineData("<html>captive portal</html>")]
    [InlineData("")]
    [InlineData("2600:1f14:abc:de00::5")]
    [InlineData("169.254.0.1")]
    public async Task An_answer_that_is_not_a_usable_ipv4_address_falls_through(string localIPv4)
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.LocalIPv4 = localIPv4;

        var resolution = await _harness.ResolveAsync(OptionsFor(imds));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("not a usable IPv4 address");
    }

    [Fact]
    public async Task An_endpoint_with_a_trailing_slash_or_path_base_works()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        var options = OptionsFor(imds);
        options.Ec2InstanceMetadataEndpoint = new Uri(imds.Endpoint.AbsoluteUri.TrimEnd('/'));

        var resolution = await _harness.ResolveAsync(options);

        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
    }
}
