using Orleans.Batch.Hosting.Security.Internal;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Configuration;
using Orleans.Hosting;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>The manager's side of a cluster's partition in the DynamoDB membership table.</summary>
public sealed class DynamoDBClusterMembership : IClusterMembership, IClusterCertificateCarrier, IDisposable
{
    private readonly DynamoDBMembershipOptions _options;
    private readonly string _clusterId;
    private readonly IAmazonDynamoDB _client;
    private readonly DynamoDBMembershipTable _table;
    private readonly IClusterCertificateStore _certificates;

    /// <summary>Creates the membership of cluster <paramref name="clusterId"/> in the table <paramref name="options"/> names.</summary>
    public DynamoDBClusterMembership(string clusterId, DynamoDBMembershipOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var time = timeProvider ?? TimeProvider.System;
        _options = options;
        _clusterId = clusterId;
        _client = DynamoDBClientFactory.Create(options);
        _table = new DynamoDBMembershipTable(
            MsOptions.Create(options),
            MsOptions.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = OrleansBatchConfiguration.DefaultServiceId }),
            loggerFactory,
            time,
            _client);
        Leases = new DynamoDBManagerLeaseStore(_client, options, time);
        _certificates = new DynamoDBClusterCertificateStore(_client, options, time);
    }

    /// <inheritdoc />
    IClusterCertificateStore IClusterCertificateCarrier.Certificates => _certificates;

    /// <inheritdoc />
    public MembershipKind Kind => MembershipKind.DynamoDB;

    /// <inheritdoc />
    public string Description => _options.ServiceUrl is { } url
        ? $"DynamoDB table {_options.TableName} at {url.Authority}, partition {_clusterId}"
        : $"DynamoDB table {_options.TableName}, partition {_clusterId}";

    /// <inheritdoc />
    public SiloSettings ConfigureSilos(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with
        {
            Membership = MembershipKind.DynamoDB,
            DynamoDB = new DynamoDBMembershipOptions { TableName = _options.TableName, Region = _options.Region, ServiceUrl = _options.ServiceUrl, TimeToLive = _options.TimeToLive },
        };
    }

    /// <inheritdoc />
    public IManagerLeaseStore Leases { get; }

    /// <inheritdoc />
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _table.InitializeMembershipTableAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not InvalidOperationException)
        {
            // Name the table and where it was looked for: "connection refused" alone does not say what to fix.
            var where = _options.ServiceUrl is { } url ? $"at {url.AbsoluteUri} (--dynamodb-endpoint)" : $"in region {_options.Region ?? "(AWS region chain)"}";
            throw new InvalidOperationException($"Cannot use the DynamoDB membership table '{_options.TableName}' {where}: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public void ConfigureClient(IClientBuilder client) => client.UseDynamoDBMembership(target =>
    {
        target.TableName = _options.TableName;
        target.Region = _options.Region;
        target.ServiceUrl = _options.ServiceUrl;
        target.TimeToLive = _options.TimeToLive;
    });

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken) => _table.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(CancellationToken cancellationToken) => _table.DeleteMembershipTableEntriesAsync(_clusterId, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _table.Dispose();
        _client.Dispose();
    }

}
