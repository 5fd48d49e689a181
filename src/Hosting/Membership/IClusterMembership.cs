using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Hosting;

namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// The manager's side of one cluster's membership table: what silos need to find it, how the manager's
/// client finds gateways, reading it to watch silos join, and deleting the cluster's rows at tear-down.
/// </summary>
public interface IClusterMembership
{
    /// <summary>Where the table lives.</summary>
    MembershipKind Kind { get; }

    /// <summary>A human-readable location, e.g. a file path or <c>DynamoDB table T, partition P</c>.</summary>
    string Description { get; }

    /// <summary>Adds what silos need to use this table to the settings the manager hands them.</summary>
    /// <param name="settings">The settings so far.</param>
    /// <returns>The settings with this table's kind and location.</returns>
    SiloSettings ConfigureSilos(SiloSettings settings);

    /// <summary>Where the manager's lease on the cluster is kept (beside the rows).</summary>
    IManagerLeaseStore Leases { get; }

    /// <summary>
    /// Checks (and, when configured, creates) the table before anything is launched, so an unreachable or missing
    /// table is an error before any silo starts.
    /// </summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Makes the manager's Orleans client read gateways from this table.</summary>
    void ConfigureClient(IClientBuilder client);

    /// <summary>Reads the cluster's rows.</summary>
    Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every row of the cluster (its partition).</summary>
    Task DeleteAsync(CancellationToken cancellationToken);
}
