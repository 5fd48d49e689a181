using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Application.Manager;

/// <summary>What the manager was asked to do, from its command line (already validated).</summary>
internal sealed record ManagerSettings
{
    public required int MinSilos { get; init; }

    public required int MaxSilos { get; init; }

    public required TimeSpan? LaunchTimeout { get; init; }

    public required string Backend { get; init; }

    public required string Workload { get; init; }

    public IReadOnlyDictionary<string, string> WorkloadOptions { get; init; } = new Dictionary<string, string>();

    public required LogLevel SiloLogLevel { get; init; }

    public required bool Hold { get; init; }

    public required bool Verbose { get; init; }

    public string? ClusterId { get; init; }

    public string? Queue { get; init; }

    public string? Definition { get; init; }

    public string? JobNamePrefix { get; init; }

    public string? Region { get; init; }

    public double? Vcpus { get; init; }

    public int? MemoryMiB { get; init; }

    public int? Gpus { get; init; }

    public TimeSpan? MaxRuntime { get; init; }

    public string? BatchEndpoint { get; init; }

    public string? Table { get; init; }

    public string? DynamoDBEndpoint { get; init; }

    /// <summary>Whether to create a missing table; null: only for a loopback DynamoDB endpoint.</summary>
    public bool? CreateTable { get; init; }

    public TimeSpan? OrphanTimeout { get; init; } = Orleans.Batch.Hosting.Membership.Lease.ManagerLeaseOptions.DefaultOrphanTimeout;

    public TimeSpan TeardownTimeout { get; init; } = Orleans.Batch.Hosting.Cluster.ClusterLaunchOptions.DefaultTeardownTimeout;

    /// <summary>The library's settings these flags stand for.</summary>
    public Orleans.Batch.Hosting.Cluster.BatchClusterOptions ToClusterOptions() => new()
    {
        Backend = Backend,
        Silos = MaxSilos,
        MinSilos = MinSilos,
        LaunchTimeout = LaunchTimeout,
        ClusterId = ClusterId,
        OrphanTimeout = OrphanTimeout ?? Orleans.Batch.Hosting.Membership.Lease.ManagerLeaseOptions.DefaultOrphanTimeout,
        TeardownTimeout = TeardownTimeout,
        Queue = Queue,
        JobDefinition = Definition,
        JobNamePrefix = JobNamePrefix,
        Region = Region,
        Vcpus = Vcpus,
        MemoryMiB = MemoryMiB,
        Gpus = Gpus,
        MaxRuntime = MaxRuntime,
        BatchEndpoint = BatchEndpoint is null ? null : new Uri(BatchEndpoint),
        MembershipTable = Table,
        DynamoDBEndpoint = DynamoDBEndpoint is null ? null : new Uri(DynamoDBEndpoint),
        CreateTable = CreateTable,
        SiloOutputLevel = SiloLogLevel,
    };

    /// <summary>True when membership is kept in DynamoDB (always on AWS Batch; locally when asked).</summary>
    public bool UsesDynamoDB => Backend != "local" || Table is not null || DynamoDBEndpoint is not null;
}
