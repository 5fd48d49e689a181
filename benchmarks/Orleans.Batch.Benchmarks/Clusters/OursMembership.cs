using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>Which membership table ours' cluster uses, and how the harness checks that tear-down removed its rows.</summary>
internal abstract class OursMembership
{
    /// <summary>The local file table, as the Launcher's local backend uses by default.</summary>
    public static OursMembership File { get; } = new FileTable();

    /// <summary>A short name for progress lines, e.g. "file table".</summary>
    public abstract string Label { get; }

    /// <summary>The manager's side of the table for cluster <paramref name="clusterId"/>, as the Launcher builds it.</summary>
    public abstract IClusterMembership Create(string clusterId, string runDirectory, ILoggerFactory loggerFactory);

    /// <summary>True once nothing of the cluster is left in the table (checked after <c>ShutdownAsync</c>).</summary>
    public abstract Task<bool> RowsGoneAsync(string clusterId, string runDirectory, CancellationToken cancellationToken);

    private sealed class FileTable : OursMembership
    {
        public override string Label => "file table";

        public override IClusterMembership Create(string clusterId, string runDirectory, ILoggerFactory loggerFactory) =>
            new LocalClusterMembership(clusterId, Options(runDirectory), loggerFactory);

        public override Task<bool> RowsGoneAsync(string clusterId, string runDirectory, CancellationToken cancellationToken) =>
            Task.FromResult(!System.IO.File.Exists(Options(runDirectory).GetTablePath(clusterId)));

        private static Hosting.Membership.Local.LocalMembershipOptions Options(string runDirectory) => new() { Directory = runDirectory };
    }
}
