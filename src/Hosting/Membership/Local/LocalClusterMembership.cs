using Orleans.Batch.Hosting.Security.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>The manager's side of a local file membership table.</summary>
public sealed class LocalClusterMembership : IClusterMembership, IClusterCertificateCarrier
{
    private readonly LocalMembershipOptions _options;
    private readonly string _clusterId;
    private readonly FileMembershipTable _table;
    private readonly IClusterCertificateStore _certificates;

    /// <summary>Creates the membership of cluster <paramref name="clusterId"/> kept under <paramref name="options"/>.</summary>
    public LocalClusterMembership(string clusterId, LocalMembershipOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _clusterId = clusterId;
        _table = new FileMembershipTable(
            Options.Create(options),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = OrleansBatchConfiguration.DefaultServiceId }),
            loggerFactory.CreateLogger<FileMembershipTable>());
        Leases = new FileManagerLeaseStore(options);
        _certificates = new FileClusterCertificateStore(options);
    }

    /// <inheritdoc />
    IClusterCertificateStore IClusterCertificateCarrier.Certificates => _certificates;

    /// <inheritdoc />
    public MembershipKind Kind => MembershipKind.Local;

    /// <inheritdoc />
    public string Description => _options.GetTablePath(_clusterId);

    /// <inheritdoc />
    public SiloSettings ConfigureSilos(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { Membership = MembershipKind.Local, LocalMembershipDirectory = _options.Directory };
    }

    /// <inheritdoc />
    public IManagerLeaseStore Leases { get; }

    /// <inheritdoc />
    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _options.EnsureDirectory();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void ConfigureClient(IClientBuilder client) =>
        client.UseLocalFileMembership(o => o.Configure(target =>
        {
            target.Directory = _options.Directory;
            target.LockTimeout = _options.LockTimeout;
        }));

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken) => _table.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(CancellationToken cancellationToken) => _table.DeleteMembershipTableEntriesAsync(_clusterId, cancellationToken);
}
