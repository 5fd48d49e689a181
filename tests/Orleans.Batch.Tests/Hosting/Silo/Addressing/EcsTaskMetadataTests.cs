using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>The second source: the ECS task metadata endpoint v4, served by a real HTTP server on 127.0.0.1.</summary>
public sealed class EcsTaskMetadataTests : IDisposable
{
    private readonly ResolverHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static Task<FakeMetadataServer> ServeAsync(Func<HttpContext, FakeMetadataServer, Task> handler) =>
        FakeMetadataServer.StartAsync(handler);

    private static Task<FakeMetadataServer> ServeJsonAsync(string json) =>
        ServeAsync((context, _) => WriteJsonAsync(context, json));

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        if (context.Request.Path != EcsMetadataSamples.ContainerPath)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    private static SiloAddressOptions OptionsFor(FakeMetadataServer server) => new()
    {
        EcsContainerMetadataUri = server.Url(EcsMetadataSamples.ContainerPath),
        Ec2InstanceMetadata = Ec2InstanceMetadataMode.Disabled,
    };

    [Fact]
    public async Task An_awsvpc_task_advertises_its_own_eni_address()
    {
        await using var server = await ServeJsonAsync(EcsMetadataSamples.Awsvpc("10.0.2.106"));

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.2.106"));
        resolution.Source.ShouldBe(SiloAddressSource.EcsTaskMetadata);
        resolution.Detail.ShouldContain("awsvpc");
        var request = server.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe(EcsMetadataSamples.ContainerPath);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("bridge")]
    public async Task A_host_or_bridge_task_falls_through_to_the_next_source(string mode)
    {
        await using var server = await ServeJsonAsync(mode == "host" ? EcsMetadataSamples.Host() : EcsMetadataSamples.Bridge());

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.5"));
        server.Requests.ShouldHaveSingleItem();
        _harness.Logger.Named("SiloAddressEcsTaskNotAwsvpc").ShouldHaveSingleItem().Message.ShouldContain(mode);
    }

    [Fact]
    public async Task A_server_error_is_retried_and_then_falls_through()
    {
        await using var server = await ServeAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        var options = OptionsFor(server);
        options.MetadataRetryCount = 2;

        var resolution = await _harness.ResolveAsync(options);

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        server.Requests.Count.ShouldBe(3);
        var failure = _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem();
        failure.Message.ShouldContain("HTTP 500");
        failure.Message.ShouldContain("EcsTaskMetadata");
    }

    [Fact]
    public async Task A_transient_server_error_is_retried_until_the_answer_comes()
    {
        var calls = 0;
        await using var server = await ServeAsync((context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            return WriteJsonAsync(context, EcsMetadataSamples.Awsvpc("10.0.2.77"));
        });

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.2.77"));
        server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var server = await ServeJsonAsync(EcsMetadataSamples.Awsvpc());
        var options = OptionsFor(server);
        options.EcsContainerMetadataUri = server.Url("/v4/no-such-container");

        var resolution = await _harness.ResolveAsync(options);

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        server.Requests.ShouldHaveSingleItem();
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_times_out_once_and_falls_through()
    {
        await using var server = await ServeAsync((context, self) => self.HangAsync(context));
        var options = OptionsFor(server);
        options.MetadataRequestTimeout = TimeSpan.FromMilliseconds(200);

        var stopwatch = Stopwatch.StartNew();
        var resolution = await _harness.ResolveAsync(options);
        stopwatch.Stop();

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        server.Requests.ShouldHaveSingleItem();
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("no answer within 200 ms");
    }

    [Fact]
    public async Task The_request_timeout_runs_on_the_injected_time_provider()
    {
        await using var server = await ServeAsync((context, self) => self.HangAsync(context));
        var options = OptionsFor(server);
        options.MetadataRequestTimeout = TimeSpan.FromSeconds(30);
        var time = new FakeTimeProvider();

        var resolving = _harness.Create(options, timeProvider: time).ResolveAsync(TestContext.Current.CancellationToken);
        await server.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        resolving.IsCompleted.ShouldBeFalse();

        time.Advance(TimeSpan.FromSeconds(1));
        var resolution = await resolving.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("no answer within 30000 ms");
    }

    [Theory]
    [InlineData("{ \"Networks\": [ { \"NetworkMode\": \"awsvpc\", ")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("{ \"Networks\": \"awsvpc\" }")]
    [InlineData("null")]
    public async Task Malformed_json_falls_through_without_retrying(string body)
    {
        await using var server = await ServeJsonAsync(body);

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        server.Requests.ShouldHaveSingleItem();
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("not valid metadata JSON");
    }

    [Fact]
    public async Task Metadata_without_networks_falls_through()
    {
        await using var server = await ServeJsonAsync("""{ "DockerId": "abc", "Name": "silo" }""");

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
    }

    [Fact]
    public async Task Unusable_entries_are_skipped_and_the_primary_eni_wins()
    {
        await using var server = await ServeJsonAsync(EcsMetadataSamples.Container("""
            [
              { "NetworkMode": "awsvpc", "AttachmentIndex": 1, "IPv4Addresses": [ "10.0.9.9" ] },
              { "NetworkMode": "awsvpc", "AttachmentIndex": 0, "IPv4Addresses": [ "", null, "not-an-ip", "169.254.172.2", "10.0.2.50" ] }
            ]
            """));

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.2.50"));
    }

    [Fact]
    public async Task An_ipv6_only_awsvpc_task_advertises_its_ipv6_address()
    {
        await using var server = await ServeJsonAsync(EcsMetadataSamples.Container("""
            [ { "NetworkMode": "awsvpc", "IPv4Addresses": [], "IPv6Addresses": [ "fe80::1", "2600:1f14:abc:de00::5" ] } ]
            """));

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Address.ShouldBe(IPAddress.Parse("2600:1f14:abc:de00::5"));
        resolution.Source.ShouldBe(SiloAddressSource.EcsTaskMetadata);
    }

    [Fact]
    public async Task An_awsvpc_network_without_any_address_falls_through()
    {
        await using var server = await ServeJsonAsync(EcsMetadataSamples.Container("""[ { "NetworkMode": "awsvpc" } ]"""));

        var resolution = await _harness.ResolveAsync(OptionsFor(server));

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("no usable IPv4 or IPv6 address");
    }

    [Fact]
    public async Task Turned_off_it_does_not_contact_the_endpoint()
    {
        await using var server = await ServeJsonAsync(EcsMetadataSamples.Awsvpc());
        var options = OptionsFor(server);
        options.UseEcsTaskMetadata = false;

        var resolution = await _harness.ResolveAsync(options);

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancelling_the_resolution_cancels_a_pending_request_instead_of_falling_through()
    {
        await using var server = await ServeAsync((context, self) => self.HangAsync(context));
        var options = OptionsFor(server);
        options.MetadataRequestTimeout = TimeSpan.FromSeconds(30);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var resolving = _harness.Create(options).ResolveAsync(cancellation.Token);
        await server.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => resolving);
    }

    [Fact]
    public async Task A_stopped_fake_endpoint_leaves_no_listener_behind()
    {
        var server = await ServeJsonAsync(EcsMetadataSamples.Awsvpc());
        var baseUri = server.BaseUri;
        (await FakeMetadataServer.AcceptsConnectionsAsync(baseUri)).ShouldBeTrue();

        await server.DisposeAsync();

        (await FakeMetadataServer.AcceptsConnectionsAsync(baseUri)).ShouldBeFalse();
    }
}
