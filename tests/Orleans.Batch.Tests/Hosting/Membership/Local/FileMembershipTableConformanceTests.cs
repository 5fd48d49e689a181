using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Configuration;
using Orleans.Messaging;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Tests.Hosting.Membership.Local;

/// <summary>The membership conformance suite against the local file table (one directory per test).</summary>
public sealed class FileMembershipTableConformanceTests : MembershipTableConformanceTests
{
    private readonly LocalMembershipOptions _options = new()
    {
        Directory = Directory.CreateTempSubdirectory("orleans-batch-tests-").FullName,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_options.Directory))
        {
            Directory.Delete(_options.Directory, recursive: true);
        }
    }

    protected override async Task<IMembershipTable> CreateTableAsync(string clusterId)
    {
        var table = new FileMembershipTable(
            MsOptions.Create(_options),
            MsOptions.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "conformance" }),
            NullLogger<FileMembershipTable>.Instance);
        await table.InitializeMembershipTableAsync(true, Token);
        return table;
    }

    protected override async Task<IGatewayListProvider> CreateGatewayListProviderAsync(string clusterId)
    {
        var provider = new FileGatewayListProvider(
            MsOptions.Create(_options),
            MsOptions.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "conformance" }),
            MsOptions.Create(new GatewayOptions()),
            NullLoggerFactory.Instance);
        await provider.InitializeGatewayListProviderAsync(Token);
        return provider;
    }

    protected override Task<bool> IsClusterStorageEmptyAsync(string clusterId) => Task.FromResult(
        !File.Exists(_options.GetTablePath(clusterId))
        && !File.Exists(_options.GetLeasePath(clusterId))
        && !File.Exists(_options.GetLockPath(clusterId))
        && !File.Exists(_options.GetTransitionLockPath(clusterId)));
}
