using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Runtime;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The clusters in one DynamoDB membership table: a consistent <c>Scan</c> of the keys, silo statuses, heartbeats
/// and leases (for the <c>list</c> and <c>cleanup</c> commands, not for a hot path). The table's key schema is
/// checked first, so a table that is not a membership table is never read or written as one; deleting a cluster
/// deletes only its own partition of this table.
/// </summary>
internal sealed class DynamoDBClusterPartitionCatalog : IClusterPartitionCatalog, IDisposable
{
    private const string Projection = "#pk, #sk, #status, #alive, #renewals, #renewedAt, #timeout, #holder, #holderHost, #holderPid, #holderStarted, #abandoned";

    private static readonly Dictionary<string, string> ProjectionNames = new(StringComparer.Ordinal)
    {
        ["#pk"] = Schema.PartitionKey,
        ["#sk"] = Schema.SortKey,
        ["#status"] = Schema.Status,
        ["#alive"] = Schema.IAmAliveTime,
        ["#renewals"] = DynamoDBManagerLeaseStore.Renewals,
        ["#renewedAt"] = DynamoDBManagerLeaseStore.RenewedAt,
        ["#timeout"] = DynamoDBManagerLeaseStore.TimeoutSeconds,
        ["#holder"] = DynamoDBManagerLeaseStore.Holder,
        ["#holderHost"] = DynamoDBManagerLeaseStore.HolderHost,
        ["#holderPid"] = DynamoDBManagerLeaseStore.HolderProcessId,
        ["#holderStarted"] = DynamoDBManagerLeaseStore.HolderStartedAt,
        ["#abandoned"] = DynamoDBManagerLeaseStore.Abandoned,
    };

    private readonly DynamoDBMembershipOptions _options;
    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly DynamoDBMembershipStore _store;
    private bool _checked;

    /// <summary>Creates the catalog of the table <paramref name="options"/> names.</summary>
    /// <param name="options">The table, region and endpoint (<see cref="DynamoDBMembershipOptions.CreateIfNotExists"/> is ignored: this never creates a table).</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="timeProvider">Time; the system clock by default.</param>
    /// <param name="client">A client to use (the caller keeps owning it); null to create one from <paramref name="options"/>.</param>
    public DynamoDBClusterPartitionCatalog(DynamoDBMembershipOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IAmazonDynamoDB? client = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        DynamoDBMembershipOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _ownsClient = client is null;
        _client = client ?? DynamoDBClientFactory.Create(options);
        _store = new DynamoDBMembershipStore(
            _client,
            options,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DynamoDBClusterPartitionCatalog>(),
            timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public string Description => _options.ServiceUrl is { } url
        ? $"DynamoDB table {_options.TableName} at {url.Authority}"
        : $"DynamoDB table {_options.TableName}";

    /// <inheritdoc />
    public bool? KeepsMembershipOf(IReadOnlyDictionary<string, string> siloConfiguration)
    {
        ArgumentNullException.ThrowIfNull(siloConfiguration);
        string? Get(string property) => siloConfiguration.TryGetValue($"{DynamoDBMembershipOptions.SectionName}:{property}", out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var hasKind = siloConfiguration.TryGetValue(OrleansBatchConfiguration.MembershipKey, out var kind);
        if (hasKind && !string.Equals(kind, nameof(MembershipKind.DynamoDB), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var table = Get(nameof(DynamoDBMembershipOptions.TableName));
        if (!hasKind && table is null)
        {
            return null;
        }

        var serviceUrl = Get(nameof(DynamoDBMembershipOptions.ServiceUrl)) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
        var region = Get(nameof(DynamoDBMembershipOptions.Region));
        return (table ?? DynamoDBMembershipOptions.DefaultTableName) == _options.TableName
            && Uri.Equals(serviceUrl, _options.ServiceUrl)
            && (region is null || string.IsNullOrWhiteSpace(_options.Region) || region == _options.Region.Trim());
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClusterPartition>> ListAsync(CancellationToken cancellationToken)
    {
        await CheckTableAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await _client.ScanAsync(new ScanRequest
            {
                TableName = _options.TableName,
                ProjectionExpression = Projection,
                ExpressionAttributeNames = new(ProjectionNames),
                ExclusiveStartKey = start,
                ConsistentRead = true,
            }, cancellationToken).ConfigureAwait(false);
            items.AddRange(response.Items ?? []);
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return [.. items
            .Where(item => item.TryGetValue(Schema.PartitionKey, out var key) && key.S is not null)
            .GroupBy(item => item[Schema.PartitionKey].S, StringComparer.Ordinal)
            .Select(group => ToPartition(group.Key, group))
            .OrderBy(partition => partition.ClusterId, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<ClusterPartition?> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        await CheckTableAsync(cancellationToken).ConfigureAwait(false);
        var request = new QueryRequest
        {
            TableName = _options.TableName,
            KeyConditionExpression = "#pk = :pk",
            ProjectionExpression = Projection,
            ExpressionAttributeNames = new(ProjectionNames),
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = clusterId } },
            ConsistentRead = true,
        };
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            var response = await _client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            items.AddRange(response.Items ?? []);
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);

        return items.Count == 0 ? null : ToPartition(clusterId, items);
    }

    /// <inheritdoc />
    public async Task<int> DeleteAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        await CheckTableAsync(cancellationToken).ConfigureAwait(false);
        return await _store.DeletePartitionAsync(clusterId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the client if this catalog created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task CheckTableAsync(CancellationToken cancellationToken)
    {
        if (_checked)
        {
            return;
        }

        var table = await DynamoDBTableProvisioner.DescribeAsync(_client, _options.TableName, cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            var where = _options.ServiceUrl is { } url ? $"at {url.AbsoluteUri}" : $"in region {_options.Region ?? "(from the AWS region chain)"}";
            throw new InvalidOperationException($"The DynamoDB membership table '{_options.TableName}' does not exist {where} (--table names it).");
        }

        DynamoDBTableProvisioner.CheckKeySchema(_options.TableName, table);
        _checked = true;
    }

    private static ClusterPartition ToPartition(string clusterId, IEnumerable<Dictionary<string, AttributeValue>> items)
    {
        ManagerLease? lease = null;
        int active = 0, total = 0;
        DateTimeOffset? lastHeartbeat = null;
        foreach (var item in items)
        {
            var sortKey = item.TryGetValue(Schema.SortKey, out var key) ? key.S : null;
            if (sortKey is null)
            {
                continue;
            }

            if (sortKey == Schema.LeaseSortKey)
            {
                lease = DynamoDBManagerLeaseStore.Parse(clusterId, item);
                continue;
            }

            if (Schema.IsReservedSortKey(sortKey))
            {
                continue;
            }

            total++;
            if (item.TryGetValue(Schema.Status, out var status) && status.S == nameof(SiloStatus.Active))
            {
                active++;
            }

            if (item.TryGetValue(Schema.IAmAliveTime, out var alive)
                && DateTimeOffset.TryParse(alive.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                && (lastHeartbeat is null || time > lastHeartbeat))
            {
                lastHeartbeat = time;
            }
        }

        return new ClusterPartition(clusterId, lease, active, total, lastHeartbeat);
    }
}
