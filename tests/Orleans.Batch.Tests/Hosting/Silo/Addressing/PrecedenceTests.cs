using System.Net;
using Microsoft.AspNetCore.Http;
using Orleans.Batch.Hosting.Silo.Addressing;
using static Orleans.Batch.Tests.Hosting.Silo.Addressing.FakeNetworkInterfaces;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// The order of the sources: explicit, ECS task metadata (awsvpc), EC2 instance metadata, interface, loopback.
/// Every source is live in each test; the ones that lose must not even be asked.
/// </summary>
public sealed class PrecedenceTests : IAsyncLifetime
{
    private readonly ResolverHarness _harness = new();
    private FakeMetadataServer _ecs = null!;
    private FakeInstanceMetadataService _imds = null!;
    private Func<HttpContext, Task> _ecsAnswer = context => context.Response.WriteAsync(EcsMetadataSamples.Awsvpc("10.0.2.106"));

    public async ValueTask InitializeAsync()
    {
        _ecs = await FakeMetadataServer.StartAsync((context, _) => _ecsAnswer(context));
        _imds = await FakeInstanceMetadataService.StartAsync();
        _imds.LocalIPv4 = "10.0.1.23";
    }

    public async ValueTask DisposeAsync()
    {
        await _ecs.DisposeAsync();
        await _imds.DisposeAsync();
        _harness.Dispose();
    }

    private SiloAddressOptions AllSources(string? advertisedAddress = null) => new()
    {
        AdvertisedAddress = advertisedAddress,
        EcsContainerMetadataUri = _ecs.Url(EcsMetadataSamples.ContainerPath),
        Ec2InstanceMetadata = Ec2InstanceMetadataMode.Enabled,
        Ec2InstanceMetadataEndpoint = _imds.Endpoint,
    };

    [Fact]
    public async Task An_explicit_address_wins_and_no_metadata_endpoint_is_asked()
    {
        var resolution = await _harness.ResolveAsync(AllSources("10.20.30.40"), Ec2Host());

        resolution.ShouldBe(new SiloAddressResolution(IPAddress.Parse("10.20.30.40"), SiloAddressSource.Explicit, "OrleansBatch:Silo:AdvertisedAddress"));
        _ecs.Requests.ShouldBeEmpty();
        _imds.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Awsvpc_task_metadata_wins_over_instance_metadata_which_is_not_asked()
    {
        var resolution = await _harness.ResolveAsync(AllSources(), Ec2Host());

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.2.106"));
        resolution.Source.ShouldBe(SiloAddressSource.EcsTaskMetadata);
        _imds.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Host_mode_task_metadata_gives_way_to_instance_metadata()
    {
        _ecsAnswer = context => context.Response.WriteAsync(EcsMetadataSamples.Host());

        var resolution = await _harness.ResolveAsync(AllSources(), Ec2Host());

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.23"));
        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
        _ecs.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Failing_metadata_endpoints_give_way_to_the_best_interface()
    {
        _ecsAnswer = context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        };
        _imds.TokenStatus = StatusCodes.Status403Forbidden;

        var resolution = await _harness.ResolveAsync(AllSources(), Ec2Host());

        resolution.ShouldBe(new SiloAddressResolution(IPAddress.Parse("10.0.1.5"), SiloAddressSource.NetworkInterface, "eth0"));
        _ecs.Requests.ShouldNotBeEmpty();
        _imds.Requests.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task With_nothing_usable_anywhere_the_silo_falls_back_to_loopback()
    {
        _ecsAnswer = context => context.Response.WriteAsync("{");
        _imds.LocalIPv4Status = StatusCodes.Status404NotFound;

        var resolution = await _harness.ResolveAsync(AllSources(), new FakeNetworkInterfaces(Loopback(), Nic("eth0", ["169.254.3.4"])));

        resolution.Address.ShouldBe(IPAddress.Loopback);
        resolution.Source.ShouldBe(SiloAddressSource.LoopbackFallback);
    }
}
