using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>Lists the gateways of a local cluster from its membership file: the active silos with a gateway port.</summary>
internal sealed class FileGatewayListProvider : IGatewayListProvider
{
    private readonly FileMembershipTable _table;
    private readonly GatewayOptions _gatewayOptions;

    /// <summary>Creates the provider for the cluster named by <paramref name="clusterOptions"/>.</summary>
    public FileGatewayListProvider(
        IOptions<LocalMembershipOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        IOptions<GatewayOptions> gatewayOptions,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(gatewayOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _table = new FileMembershipTable(options, clusterOptions, loggerFactory.CreateLogger<FileMembershipTable>());
        _gatewayOptions = gatewayOptions.Value;
    }

    /// <inheritdoc />
    public TimeSpan MaxStaleness => _gatewayOptions.GatewayListRefreshPeriod;

    /// <inheritdoc />
    public bool IsUpdatable => true;

    /// <inheritdoc />
    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    /// <inheritdoc />
    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(default);

    /// <inheritdoc />
    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return data.Members
            .Select(m => m.Item1)
            .Where(e => e.Status == SiloStatus.Active && e.ProxyPort > 0)
            .Select(e => SiloAddress.New(e.SiloAddress.Endpoint.Address, e.ProxyPort, e.SiloAddress.Generation).ToGatewayUri())
            .ToList();
    }
}
