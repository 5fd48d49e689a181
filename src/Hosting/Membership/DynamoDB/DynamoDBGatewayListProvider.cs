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
/// <remarks>
/// While the table cannot be read (an outage, throttling), the provider answers with the last list it read and logs
/// one warning per outage, instead of failing every refresh: the silos are still there, and the client keeps
/// talking to them.
/// </remarks>
internal sealed partial class DynamoDBGatewayListProvider : IGatewayListProvider, IDisposable
{
    private readonly DynamoDBStoreHandle _handle;
    private readonly string _clusterId;
    private readonly ILogger _logger;
    private IList<Uri>? _lastKnown;
    private int _failing;

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
        _logger = loggerFactory.CreateLogger<DynamoDBGatewayListProvider>();
        _handle = new DynamoDBStoreHandle(options.Value, _logger, timeProvider, client);
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
    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var gateways = await _handle.Store.ReadGatewaysAsync(_clusterId, cancellationToken).ConfigureAwait(false);
            _lastKnown = gateways;
            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                LogRecovered(_logger, _handle.Store.TableName);
            }

            return gateways;
        }
        catch (Exception exception) when (_lastKnown is { } lastKnown && exception is not OperationCanceledException)
        {
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                LogUsingLastKnown(_logger, _handle.Store.TableName, exception.Message, lastKnown.Count);
            }

            return lastKnown;
        }
    }

    /// <inheritdoc />
    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    /// <summary>Disposes the DynamoDB client if the provider created it.</summary>
    public void Dispose() => _handle.Dispose();

    // One line, no stack trace: the outage is the news, not where it was noticed.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read gateways from DynamoDB table {TableName} ({Reason}); using the last {Count} known until it answers again")]
    private static partial void LogUsingLastKnown(ILogger logger, string tableName, string reason, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB table {TableName} answers again; gateway list refreshed")]
    private static partial void LogRecovered(ILogger logger, string tableName);
}
