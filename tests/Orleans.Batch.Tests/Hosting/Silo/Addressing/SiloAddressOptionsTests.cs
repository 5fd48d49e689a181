using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>The options: defaults, configuration keys, validation messages, and the service registration.</summary>
public sealed class SiloAddressOptionsTests
{
    [Fact]
    public void Defaults_discover_the_address_with_short_metadata_timeouts()
    {
        var options = new SiloAddressOptions();

        options.AdvertisedAddress.ShouldBeNull();
        options.UseEcsTaskMetadata.ShouldBeTrue();
        options.EcsContainerMetadataUri.ShouldBeNull();
        options.Ec2InstanceMetadata.ShouldBe(Ec2InstanceMetadataMode.Auto);
        options.Ec2InstanceMetadataEndpoint.ShouldBeNull();
        options.MetadataRequestTimeout.ShouldBe(TimeSpan.FromSeconds(1));
        options.MetadataRetryCount.ShouldBe(2);
        options.NetworkInterfaceName.ShouldBeNull();
    }

    [Fact]
    public void Every_setting_binds_from_the_OrleansBatch_Silo_section()
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["OrleansBatch:Silo:AdvertisedAddress"] = "silo-1.internal",
            ["OrleansBatch:Silo:UseEcsTaskMetadata"] = "false",
            ["OrleansBatch:Silo:EcsContainerMetadataUri"] = "http://169.254.170.2/v4/abc",
            ["OrleansBatch:Silo:Ec2InstanceMetadata"] = "Enabled",
            ["OrleansBatch:Silo:Ec2InstanceMetadataEndpoint"] = "http://[fd00:ec2::254]",
            ["OrleansBatch:Silo:MetadataRequestTimeout"] = "00:00:00.250",
            ["OrleansBatch:Silo:MetadataRetryCount"] = "0",
            ["OrleansBatch:Silo:NetworkInterfaceName"] = "ens5",
        }).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SiloAddressOptions>>().Value;

        options.AdvertisedAddress.ShouldBe("silo-1.internal");
        options.UseEcsTaskMetadata.ShouldBeFalse();
        options.EcsContainerMetadataUri.ShouldBe(new Uri("http://169.254.170.2/v4/abc"));
        options.Ec2InstanceMetadata.ShouldBe(Ec2InstanceMetadataMode.Enabled);
        options.Ec2InstanceMetadataEndpoint.ShouldBe(new Uri("http://[fd00:ec2::254]"));
        options.MetadataRequestTimeout.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.MetadataRetryCount.ShouldBe(0);
        options.NetworkInterfaceName.ShouldBe("ens5");
    }

    [Theory]
    [InlineData("OrleansBatch:Silo:AdvertisedAddress", "0.0.0.0", "must be a unicast address other silos can reach")]
    [InlineData("OrleansBatch:Silo:AdvertisedAddress", "::", "must be a unicast address other silos can reach")]
    [InlineData("OrleansBatch:Silo:AdvertisedAddress", "239.1.2.3", "must be a unicast address other silos can reach")]
    [InlineData("OrleansBatch:Silo:AdvertisedAddress", "not a host!", "is neither")]
    [InlineData("OrleansBatch:Silo:AdvertisedAddress", " ", "it is empty")]
    [InlineData("OrleansBatch:Silo:EcsContainerMetadataUri", "ftp://169.254.170.2/v4", "must be an absolute http or https URI")]
    [InlineData("OrleansBatch:Silo:Ec2InstanceMetadataEndpoint", "file:///etc/hosts", "must be an absolute http or https URI")]
    [InlineData("OrleansBatch:Silo:MetadataRequestTimeout", "00:00:00", "must be greater than zero")]
    [InlineData("OrleansBatch:Silo:MetadataRequestTimeout", "00:05:00", "at most 00:01:00")]
    [InlineData("OrleansBatch:Silo:MetadataRetryCount", "-1", "must be between 0 and 10")]
    [InlineData("OrleansBatch:Silo:MetadataRetryCount", "11", "must be between 0 and 10")]
    [InlineData("OrleansBatch:Silo:NetworkInterfaceName", " ", "must name an interface")]
    public async Task An_invalid_setting_stops_the_host_with_a_message_naming_it(string key, string value, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddSiloAddressResolver();
        using var host = builder.Build();

        var exception = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failure = exception.Failures.ShouldHaveSingleItem();
        failure.ShouldStartWith(key + " ");
        failure.ShouldContain(expected);
    }

    [Fact]
    public void An_undefined_mode_is_rejected_naming_the_setting()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new SiloAddressOptions { Ec2InstanceMetadata = (Ec2InstanceMetadataMode)42 });
        using var httpClient = new HttpClient();

        var exception = Should.Throw<OptionsValidationException>(() => new SiloAddressResolver(
            options, httpClient, new FakeNetworkInterfaces(), TimeProvider.System, new ListLogger<SiloAddressResolver>()));

        exception.Message.ShouldContain("OrleansBatch:Silo:Ec2InstanceMetadata must be one of Auto, Enabled, Disabled");
    }

    [Fact]
    public async Task The_registered_resolver_uses_configuration_and_the_configure_delegates()
    {
        await using var ecs = await FakeMetadataServer.StartAsync((context, _) =>
            Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, EcsMetadataSamples.Awsvpc("10.0.2.106")));
        var services = Services(new Dictionary<string, string?>
        {
            ["OrleansBatch:Silo:EcsContainerMetadataUri"] = ecs.Url(EcsMetadataSamples.ContainerPath).ToString(),
            ["OrleansBatch:Silo:Ec2InstanceMetadata"] = "Disabled",
        });
        services.AddSiloAddressResolver(o => o.MetadataRetryCount = 0);
        services.AddSiloAddressResolver(o => o.MetadataRequestTimeout = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SiloAddressOptions>>().Value;
        var resolution = await provider.GetRequiredService<ISiloAddressResolver>().ResolveAsync(TestContext.Current.CancellationToken);

        options.MetadataRetryCount.ShouldBe(0);
        options.MetadataRequestTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        resolution.Source.ShouldBe(SiloAddressSource.EcsTaskMetadata);
        resolution.Address.ToString().ShouldBe("10.0.2.106");
        services.Count(d => d.ServiceType == typeof(ISiloAddressResolver)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<SiloAddressOptions>)).ShouldBe(1);
    }

    [Fact]
    public void A_configure_delegate_overrides_configuration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansBatch:Silo:AdvertisedAddress"] = "10.0.0.1" })
            .Build());
        services.AddSiloAddressResolver(o => o.AdvertisedAddress = "127.0.0.1");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<SiloAddressOptions>>().Value.AdvertisedAddress.ShouldBe("127.0.0.1");
    }

    [Fact]
    public void Registered_services_can_be_replaced_for_tests()
    {
        var services = Services([]);
        var interfaces = FakeNetworkInterfaces.Ec2Host();
        services.AddSingleton<INetworkInterfaceSource>(interfaces);
        services.AddSiloAddressResolver();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<INetworkInterfaceSource>().ShouldBeSameAs(interfaces);
        provider.GetRequiredService<TimeProvider>().ShouldBeSameAs(TimeProvider.System);
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.ClearProviders());
        services.AddSiloAddressResolver();
        return services;
    }
}
