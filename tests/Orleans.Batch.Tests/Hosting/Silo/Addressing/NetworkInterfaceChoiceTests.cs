using System.Net;
using System.Net.NetworkInformation;
using Orleans.Batch.Hosting.Silo.Addressing;
using static Orleans.Batch.Tests.Hosting.Silo.Addressing.FakeNetworkInterfaces;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>The last source: choosing among the machine's interfaces (metadata sources off).</summary>
public sealed class NetworkInterfaceChoiceTests : IDisposable
{
    private readonly ResolverHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Task<SiloAddressResolution> ChooseAsync(params NetworkInterfaceSnapshot[] interfaces) =>
        _harness.ResolveAsync(ResolverHarness.Isolated(), new FakeNetworkInterfaces(interfaces));

    [Fact]
    public async Task The_docker_bridge_loses_to_eth0_although_its_address_sorts_first()
    {
        var resolution = await ChooseAsync(Loopback(), Nic("docker0", ["172.17.0.1"]), Nic("eth0", ["10.0.1.5"]));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.5"));
        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        resolution.Detail.ShouldBe("eth0");
    }

    [Theory]
    [InlineData("docker0")]
    [InlineData("br-3f2a9c1d0e4b")]
    [InlineData("veth1a2b3c4")]
    [InlineData("podman0")]
    [InlineData("ecs-bridge")]
    [InlineData("cni0")]
    [InlineData("flannel.1")]
    [InlineData("cali12ab34cd56e")]
    [InlineData("tunl0")]
    [InlineData("weave")]
    [InlineData("vxlan.calico")]
    [InlineData("cilium_host")]
    [InlineData("kube-bridge")]
    [InlineData("virbr0")]
    [InlineData("lxcbr0")]
    [InlineData("vboxnet0")]
    [InlineData("vmnet8")]
    public async Task A_container_or_vm_bridge_is_never_chosen_even_with_a_gateway(string bridgeName)
    {
        var resolution = await ChooseAsync(
            Nic(bridgeName, ["10.9.9.9"], gateway: "10.9.9.1"),
            Nic("eth0", ["10.20.0.7"]));

        resolution.Address.ShouldBe(IPAddress.Parse("10.20.0.7"));
        resolution.Detail.ShouldBe("eth0");
    }

    [Fact]
    public async Task Only_link_local_and_loopback_addresses_fall_back_to_127_0_0_1_with_a_warning()
    {
        var resolution = await ChooseAsync(Loopback(), Nic("eth0", ["169.254.10.20", "fe80::1"]), Nic("docker0", ["172.17.0.1"]));

        resolution.Address.ShouldBe(IPAddress.Loopback);
        resolution.Source.ShouldBe(SiloAddressSource.LoopbackFallback);
        var warning = _harness.Logger.Named("SiloAddressLoopbackFallback").ShouldHaveSingleItem();
        warning.Level.ShouldBe(Microsoft.Extensions.Logging.LogLevel.Warning);
        warning.Message.ShouldContain("OrleansBatch:Silo:AdvertisedAddress");
    }

    [Fact]
    public async Task No_interfaces_at_all_fall_back_to_loopback()
    {
        var resolution = await ChooseAsync();

        resolution.ShouldBe(new SiloAddressResolution(IPAddress.Loopback, SiloAddressSource.LoopbackFallback,
            "no network interface with a routable IPv4 address"));
    }

    [Fact]
    public async Task Interfaces_that_cannot_be_listed_fall_back_to_loopback()
    {
        var resolution = await _harness.ResolveAsync(ResolverHarness.Isolated(), new FailingNetworkInterfaces());

        resolution.Source.ShouldBe(SiloAddressSource.LoopbackFallback);
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Exception.ShouldBeOfType<NetworkInformationException>();
    }

    [Fact]
    public async Task An_IPv6_only_interface_is_not_chosen()
    {
        var resolution = await ChooseAsync(Nic("eth0", ["2600:1f14:abc:de00::5"], gateway: "fe80::1"));

        resolution.Source.ShouldBe(SiloAddressSource.LoopbackFallback);
    }

    [Fact]
    public async Task An_interface_that_is_down_is_skipped()
    {
        var resolution = await ChooseAsync(
            Nic("eth0", ["10.0.0.9"], gateway: "10.0.0.1", status: OperationalStatus.Down),
            Nic("eth1", ["10.0.1.7"]));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.7"));
    }

    [Fact]
    public async Task A_loopback_interface_is_skipped_whatever_its_address()
    {
        var resolution = await ChooseAsync(Nic("lo", ["10.255.0.1"], isLoopback: true), Nic("eth0", ["10.0.1.5"]));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.5"));
    }

    [Fact]
    public async Task An_interface_with_a_gateway_wins_over_one_without()
    {
        var resolution = await ChooseAsync(
            Nic("eth0", ["192.168.5.10"]),
            Nic("eth1", ["10.0.1.5"], gateway: "10.0.1.1"));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.5"));
        resolution.Detail.ShouldBe("eth1");
    }

    [Fact]
    public async Task A_gateway_of_0_0_0_0_counts_as_no_gateway()
    {
        var resolution = await ChooseAsync(
            Nic("eth0", ["10.0.1.5"]),
            Nic("eth1", ["10.0.0.9"], gateway: "0.0.0.0"));

        resolution.Detail.ShouldBe("eth0");
    }

    [Fact]
    public async Task An_interface_that_is_up_wins_over_one_in_unknown_state_but_unknown_still_counts()
    {
        var both = await ChooseAsync(Nic("eth0", ["10.0.0.9"], status: OperationalStatus.Unknown), Nic("eth1", ["10.0.1.7"]));
        var unknownOnly = await ChooseAsync(Nic("tun0", ["10.8.0.2"], status: OperationalStatus.Unknown));

        both.Detail.ShouldBe("eth1");
        unknownOnly.Address.ShouldBe(IPAddress.Parse("10.8.0.2"));
    }

    [Fact]
    public async Task The_choice_does_not_depend_on_the_order_interfaces_or_addresses_are_listed_in()
    {
        NetworkInterfaceSnapshot[] interfaces =
        [
            Nic("ens6", ["10.0.3.9"], gateway: "10.0.3.1"),
            Nic("ens5", ["10.0.2.40", "10.0.2.7"], gateway: "10.0.2.1"),
            Nic("docker0", ["172.17.0.1"]),
        ];

        var forward = await ChooseAsync(interfaces);
        var reversed = await ChooseAsync([.. interfaces.Reverse().Select(i => i with { UnicastAddresses = [.. i.UnicastAddresses.Reverse()] })]);

        forward.ShouldBe(new SiloAddressResolution(IPAddress.Parse("10.0.2.7"), SiloAddressSource.NetworkInterface, "ens5"));
        reversed.ShouldBe(forward);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("127.0.1.1")]
    public async Task Addresses_that_are_not_unicast_host_addresses_are_skipped(string address)
    {
        var resolution = await ChooseAsync(Nic("eth0", [address], gateway: "10.0.0.1"));

        resolution.Source.ShouldBe(SiloAddressSource.LoopbackFallback);
    }

    [Fact]
    public async Task A_named_interface_is_used_even_without_a_gateway_and_even_if_it_looks_like_a_bridge()
    {
        var options = ResolverHarness.Isolated();
        options.NetworkInterfaceName = "docker0";

        var resolution = await _harness.ResolveAsync(options, FakeNetworkInterfaces.Ec2Host());

        resolution.ShouldBe(new SiloAddressResolution(IPAddress.Parse("172.17.0.1"), SiloAddressSource.NetworkInterface, "docker0"));
    }

    [Fact]
    public async Task A_named_interface_without_a_usable_address_fails_naming_the_setting()
    {
        var options = ResolverHarness.Isolated();
        options.NetworkInterfaceName = "eth1";

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => _harness.ResolveAsync(options, FakeNetworkInterfaces.Ec2Host()));

        exception.Message.ShouldContain("OrleansBatch:Silo:NetworkInterfaceName");
        exception.Message.ShouldContain("eth1");
        exception.Message.ShouldContain("eth0 (Up: 10.0.1.5)");
    }

    [Fact]
    public void The_system_interface_source_reports_this_machines_loopback_interface()
    {
        var interfaces = new SystemNetworkInterfaceSource().GetInterfaces();

        var loopback = interfaces.Where(i => i.IsLoopback).ShouldHaveSingleItem();
        loopback.UnicastAddresses.ShouldContain(IPAddress.Loopback);
    }
}
