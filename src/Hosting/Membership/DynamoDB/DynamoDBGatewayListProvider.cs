using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Orleans gateway list for clients: the Active silos with a gateway port in the cluster's partition of the
/// DynamoDB membership table, read with one strongly consistent <c>Query</c> of that partition (never a scan).
/// </summary>
public sealed class DynamoDBGatewayListProvider : IGatewayListProvider, IDisposable
{
    private readonly DynamoDBStoreHandle _handle;
    private readonly string _clusterId;

    /// <summary>Initializes a new instance of the <see cref="DynamoDBGatewayListProvider"/> class.</summary>
    /// <param name="options">The provider options; validated here.</param>
    /// <param name="clusterOptions">The cluster options; <see cref="ClusterOptions.ClusterId"/> selects the partition.</param>
    /// <param name="gatewayOptions">The gateway options; <see cref="GatewayOptions.GatewayListRefreshPeriod"/> is the staleness bound.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The time source.</param>
    /// <param name="client">A client to use (the caller keeps ownership), or <see langword="null"/> to create and own one.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> are invalid.</exception>
    /// <exception cref="ArgumentException">The cluster id is missing.</exception>
    public DynamoDBGatewayListProvider(
        IOptions<DynamoDBMembershipOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        IOptions<GatewayOptions> gatewayOptions,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        IAmazonDynamoDB? client = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(gatewayOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _clusterId = clusterOptions.Value.ClusterId;
        if (string.IsNullOrWhiteSpace(_clusterId))
        {
            throw new ArgumentException("ClusterOptions.ClusterId is required: it selects the cluster's partition of the membership table.", nameof(clusterOptions));
        }

        MaxStaleness = gatewayOptions.Value.GatewayListRefreshPeriod;
        _handle = new DynamoDBStoreHandle(options.Value, loggerFactory.CreateLogger<DynamoDBGatewayListProvider>(), timeProvider, client);
    }

    /// <inheritdoc />
    public TimeSpan MaxStaleness { get; }

    /// <summary>Always <see langword="true"/>: the list is re-read from the table (Orleans no longer consults this).</summary>
    bool IGatewayListProvider.IsUpdatable => true;

    /// <summary>Checks that the table exists, creating it when configured to.</summary>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>A task representing the operation.</returns>
    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _handle.Store.EnsureTableAsync(cancellationToken);
    }

    /// <summary>Gets the gateway URIs of the cluster's Active silos that have a gateway port.</summary>
    /// <param name="cancellationToken">A token which cancels the operation.</param>
    /// <returns>The gateway URIs.</returns>
    public Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _handle.Store.ReadGatewaysAsync(_clusterId, cancellationToken);
    }

    /// <inheritdoc />
    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    /// <summary>Disposes the DynamoDB client if the provider created it.</summary>
    public void Dispose() => _handle.Dispose();
}
