using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>Passes every call to the real membership and notes when the tear-down's delete began and ended.</summary>
internal sealed class RecordingMembership(IClusterMembership inner) : IClusterMembership, Orleans.Batch.Hosting.Security.Internal.IClusterCertificateCarrier
{
    // Cluster TLS keeps the certificate beside the inner table's rows.
    public Orleans.Batch.Hosting.Security.Internal.IClusterCertificateStore Certificates =>
        ((Orleans.Batch.Hosting.Security.Internal.IClusterCertificateCarrier)inner).Certificates;

    private Clock? _teardownClock;

    public Timeline TeardownTimeline { get; } = new();

    public MembershipKind Kind => inner.Kind;

    public string Description => inner.Description;

    public SiloSettings ConfigureSilos(SiloSettings settings) => inner.ConfigureSilos(settings);

    public Orleans.Batch.Hosting.Membership.Lease.IManagerLeaseStore Leases => inner.Leases;

    public Task PrepareAsync(CancellationToken cancellationToken) => inner.PrepareAsync(cancellationToken);

    public void StartTeardownClock(Clock clock) => _teardownClock = clock;

    public void ConfigureClient(IClientBuilder client) => inner.ConfigureClient(client);

    public Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        if (_teardownClock is { } before)
        {
            TeardownTimeline.Mark("membership delete started", before.Elapsed);
        }

        await inner.DeleteAsync(cancellationToken);
        if (_teardownClock is { } after)
        {
            TeardownTimeline.Mark("membership rows deleted", after.Elapsed);
        }
    }
}
