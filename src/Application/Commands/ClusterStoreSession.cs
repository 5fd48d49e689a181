using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Inventory;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;

namespace Orleans.Batch.Application.Commands;

/// <summary>The membership store and (with a queue) the Batch client that <c>list</c> and <c>cleanup</c> work on.</summary>
internal sealed class ClusterStoreSession : IDisposable
{
    private ClusterStoreSession(IClusterPartitionCatalog catalog, AwsBatchClient? batch, string? queue, TimeProvider time)
    {
        Catalog = catalog;
        Batch = batch;
        Queue = queue;
        Inventory = new ClusterInventory(catalog, batch is null ? null : new ClusterJobFinder(batch), queue, time);
    }

    public IClusterPartitionCatalog Catalog { get; }

    public AwsBatchClient? Batch { get; }

    public string? Queue { get; }

    public ClusterInventory Inventory { get; }

    /// <summary>What is being looked at, e.g. <c>DynamoDB table T and job queue Q</c>.</summary>
    public string Description => Queue is null ? Catalog.Description : $"{Catalog.Description} and job queue {Queue}";

    public static ClusterStoreSession Open(ClusterStoreSettings settings, TimeProvider time)
    {
        if (!settings.UsesDynamoDB)
        {
            var local = new LocalMembershipOptions();
            if (settings.LocalDirectory is { } directory)
            {
                local.Directory = Path.GetFullPath(directory);
            }

            return new ClusterStoreSession(new FileClusterPartitionCatalog(local), null, null, time);
        }

        AwsBatchClient? batch = null;
        try
        {
            // The table's region is the Batch region unless given, as for the manager.
            var region = settings.Region;
            if (settings.Queue is not null)
            {
                batch = new AwsBatchClient(new AwsBatchClientOptions { Region = settings.Region, ServiceUrl = settings.BatchEndpoint }, NullLoggerFactory.Instance, time);
                region ??= batch.GetEndpoint().SigningRegion;
            }

            var catalog = new DynamoDBClusterPartitionCatalog(
                new DynamoDBMembershipOptions
                {
                    TableName = settings.Table ?? DynamoDBMembershipOptions.DefaultTableName,
                    Region = region,
                    ServiceUrl = settings.DynamoDBEndpoint is { } url ? new Uri(url) : null,
                    CreateIfNotExists = false,
                },
                NullLoggerFactory.Instance,
                time);
            return new ClusterStoreSession(catalog, batch, settings.Queue, time);
        }
        catch
        {
            batch?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        (Catalog as IDisposable)?.Dispose();
        Batch?.Dispose();
    }
}
