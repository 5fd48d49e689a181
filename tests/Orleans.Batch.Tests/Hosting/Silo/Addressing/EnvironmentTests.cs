using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// What the resolver reads from the environment: the variables AWS sets and the AWS SDK's IMDS variables.
/// Environment variables are process-wide, so these tests run alone (<see cref="ProcessEnvironmentTests"/>).
/// </summary>
[Collection(typeof(ProcessEnvironmentTests))]
public sealed class EnvironmentTests : IDisposable
{
    private readonly ResolverHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Off_aws_with_nothing_configured_the_resolution_is_immediate_and_contacts_nothing()
    {
        using var environment = new EnvironmentVariableScope(EnvironmentVariableScope.NotOnAws());

        var stopwatch = Stopwatch.StartNew();
        var resolution = await _harness.Create(new SiloAddressOptions(), new SystemNetworkInterfaceSource())
            .ResolveAsync(TestContext.Current.CancellationToken);
        stopwatch.Stop();

        TestContext.Current.TestOutputHelper?.WriteLine($"Resolved {resolution} in {stopwatch.Elapsed.TotalMilliseconds:0.0} ms");

        // A metadata request would cost at least its one-second timeout; nothing here may wait for one.
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(500));
        resolution.Source.ShouldBeOneOf(SiloAddressSource.NetworkInterface, SiloAddressSource.LoopbackFallback);
        var skipped = _harness.Logger.Named("SiloAddressSourceSkipped").Select(e => e.Message).ToList();
        skipped.ShouldContain(m => m.StartsWith("EcsTaskMetadata not used: ECS_CONTAINER_METADATA_URI_V4 is not set", StringComparison.Ordinal));
        skipped.ShouldContain(m => m.StartsWith("Ec2InstanceMetadata not used: not running in an AWS Batch job or ECS task", StringComparison.Ordinal));
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldBeEmpty();
    }

    [Fact]
    public async Task The_ecs_agents_variable_points_at_the_task_metadata_endpoint()
    {
        await using var ecs = await FakeMetadataServer.StartAsync((context, _) => context.Response.WriteAsync(EcsMetadataSamples.Awsvpc("10.0.2.106")));
        using var environment = new EnvironmentVariableScope(
        [
            .. EnvironmentVariableScope.NotOnAws(),
            ("ECS_CONTAINER_METADATA_URI_V4", ecs.Url(EcsMetadataSamples.ContainerPath).ToString()),
        ]);

        var resolution = await _harness.ResolveAsync(new SiloAddressOptions { Ec2InstanceMetadata = Ec2InstanceMetadataMode.Disabled });

        resolution.ShouldBe(new SiloAddressResolution(IPAddress.Parse("10.0.2.106"), SiloAddressSource.EcsTaskMetadata,
            $"awsvpc network, task metadata {ecs.Url(EcsMetadataSamples.ContainerPath)}"));
    }

    [Fact]
    public async Task An_option_uri_wins_over_the_ecs_agents_variable()
    {
        await using var ecs = await FakeMetadataServer.StartAsync((context, _) => context.Response.WriteAsync(EcsMetadataSamples.Awsvpc("10.0.2.106")));
        using var environment = new EnvironmentVariableScope(("ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:9/v4/unused"));

        var resolution = await _harness.ResolveAsync(new SiloAddressOptions
        {
            EcsContainerMetadataUri = ecs.Url(EcsMetadataSamples.ContainerPath),
            Ec2InstanceMetadata = Ec2InstanceMetadataMode.Disabled,
        });

        resolution.Source.ShouldBe(SiloAddressSource.EcsTaskMetadata);
    }

    [Fact]
    public async Task A_malformed_ecs_variable_is_reported_and_skipped()
    {
        using var environment = new EnvironmentVariableScope([.. EnvironmentVariableScope.NotOnAws(), ("ECS_CONTAINER_METADATA_URI_V4", "not a uri")]);

        var resolution = await _harness.ResolveAsync(new SiloAddressOptions { Ec2InstanceMetadata = Ec2InstanceMetadataMode.Disabled });

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        _harness.Logger.Named("SiloAddressSourceFailed").ShouldHaveSingleItem().Message.ShouldContain("ECS_CONTAINER_METADATA_URI_V4");
    }

    [Fact]
    public async Task The_sdks_endpoint_variable_points_at_the_instance_metadata_service()
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        imds.LocalIPv4 = "10.0.7.7";
        using var environment = new EnvironmentVariableScope(
        [
            .. EnvironmentVariableScope.NotOnAws(),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.Endpoint.ToString()),
        ]);

        var resolution = await _harness.ResolveAsync(new SiloAddressOptions { UseEcsTaskMetadata = false });

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.7.7"));
        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
        imds.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task In_a_batch_job_in_host_mode_the_instance_private_ip_is_advertised()
    {
        await using var ecs = await FakeMetadataServer.StartAsync((context, _) => context.Response.WriteAsync(EcsMetadataSamples.Host()));
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        using var environment = new EnvironmentVariableScope(
        [
            .. EnvironmentVariableScope.NotOnAws(),
            ("AWS_BATCH_JOB_ID", "8d7a3b2c-1e4f-4a5b-9c6d-7e8f9a0b1c2d:3"),
            ("ECS_CONTAINER_METADATA_URI_V4", ecs.Url(EcsMetadataSamples.ContainerPath).ToString()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.Endpoint.ToString()),
        ]);

        var resolution = await _harness.ResolveAsync(new SiloAddressOptions());

        resolution.Address.ShouldBe(IPAddress.Parse("10.0.1.5"));
        resolution.Source.ShouldBe(SiloAddressSource.Ec2InstanceMetadata);
        ecs.Requests.ShouldHaveSingleItem();
        var resolved = _harness.Logger.Named("SiloAddressResolved").ShouldHaveSingleItem();
        resolved.Level.ShouldBe(LogLevel.Information);
        resolved.Message.ShouldBe($"Silo advertises 10.0.1.5, from Ec2InstanceMetadata (local-ipv4, instance metadata {imds.Endpoint})");
    }

    [Theory]
    [InlineData(Ec2InstanceMetadataMode.Auto)]
    [InlineData(Ec2InstanceMetadataMode.Enabled)]
    public async Task The_sdks_disable_switch_turns_instance_metadata_off(Ec2InstanceMetadataMode mode)
    {
        await using var imds = await FakeInstanceMetadataService.StartAsync();
        using var environment = new EnvironmentVariableScope(
        [
            .. EnvironmentVariableScope.NotOnAws(),
            ("AWS_BATCH_JOB_ID", "job:0"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.Endpoint.ToString()),
            ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ]);

        var resolution = await _harness.ResolveAsync(new SiloAddressOptions { UseEcsTaskMetadata = false, Ec2InstanceMetadata = mode });

        resolution.Source.ShouldBe(SiloAddressSource.NetworkInterface);
        imds.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void The_scope_restores_the_variables_it_changed()
    {
        const string Name = "ORLEANS_BATCH_TESTS_SILO_ADDRESS_SCOPE";
        Environment.SetEnvironmentVariable(Name, "before");
        try
        {
            using (new EnvironmentVariableScope((Name, "during"), ("ORLEANS_BATCH_TESTS_SILO_ADDRESS_UNSET", "set")))
            {
                Environment.GetEnvironmentVariable(Name).ShouldBe("during");
            }

            Environment.GetEnvironmentVariable(Name).ShouldBe("before");
            Environment.GetEnvironmentVariable("ORLEANS_BATCH_TESTS_SILO_ADDRESS_UNSET").ShouldBeNull();
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }
}
