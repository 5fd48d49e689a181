using System.Net;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Orleans.Batch.Hosting.Cluster.Membership;
using Orleans.Batch.Hosting.LocalState;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Application.CommandLine;

namespace Orleans.Batch.Application.Manager;

/// <summary>
/// Everything a manager run holds: the backend that runs the silos, the membership table, and the launch
/// options, chosen from the command line (and, inside a Batch job, from the manager's own job).
/// </summary>
internal sealed class ClusterEnvironment : IAsyncDisposable
{
    private static readonly TimeSpan LocalLaunchTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BatchLaunchTimeout = TimeSpan.FromMinutes(20);
    private readonly List<object> _owned = [];

    private ClusterEnvironment()
    {
    }

    public required ISiloBackend Backend { get; init; }

    public required IClusterMembership Membership { get; init; }

    public required ClusterLaunchOptions LaunchOptions { get; init; }

    /// <summary>Where local silo logs are kept (local backend only).</summary>
    public LocalRunDirectory? LocalRun { get; init; }

    /// <summary>A line describing where the silos run, for the console.</summary>
    public required string Description { get; init; }

    /// <summary>For AWS Batch silos: the <c>logs &lt;job-id&gt;</c> command that prints a silo job's log.</summary>
    public Func<string, string>? LogsCommandFor { get; init; }

    /// <summary>The <c>cleanup</c> command that releases this cluster if tear-down gives up.</summary>
    public required string CleanupCommand { get; init; }

    public static async Task<ClusterEnvironment> CreateAsync(ManagerSettings settings, ConsoleClusterObserver observer, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownJob = BatchJobEnvironment.Current();
        var clusterId = settings.ClusterId ?? ownJob?.JobId ?? ClusterIdGenerator.NewClusterId(time);
        return settings.Backend == OrleansBatchCommandLine.AwsBatchBackend
            ? await CreateAwsBatchAsync(settings, clusterId, ownJob, observer, loggerFactory, time, cancellationToken).ConfigureAwait(false)
            : CreateLocal(settings, clusterId, observer, loggerFactory, time);
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync().ConfigureAwait(false);
        foreach (var owned in _owned)
        {
            (owned as IDisposable)?.Dispose();
        }

        (Membership as IDisposable)?.Dispose();
    }

    private static ClusterEnvironment CreateLocal(ManagerSettings settings, string clusterId, ConsoleClusterObserver observer, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var run = LocalRunDirectory.Create(clusterId);
        var (fileName, arguments) = LauncherExecutable.Current();
        var backend = new LocalProcessBackend(
            new LocalProcessBackendOptions
            {
                FileName = fileName,
                Arguments = [.. arguments, "silo"],
                LogDirectory = run.LogDirectory,
                OnOutput = observer.OnSiloOutput,
                ForwardLevel = settings.SiloLogLevel,
            },
            loggerFactory.CreateLogger<LocalProcessBackend>());
        IClusterMembership membership = settings.UsesDynamoDB
            ? new DynamoDBClusterMembership(clusterId, DynamoDBOptions(settings, region: settings.Region), loggerFactory, time)
            : new LocalClusterMembership(clusterId, new LocalMembershipOptions(), loggerFactory);
        return new ClusterEnvironment
        {
            Backend = backend,
            Membership = membership,
            LaunchOptions = CreateLaunchOptions(settings, clusterId, settings.LaunchTimeout ?? LocalLaunchTimeout, settings.UsesDynamoDB ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)),
            LocalRun = run,
            Description = $"on the local backend (cluster {clusterId}; membership: {membership.Description}; silo logs in {run.LogDirectory})",
            CleanupCommand = Commands.CleanupCommandLine.For(clusterId, settings, region: settings.Region),
        };
    }

    private static async Task<ClusterEnvironment> CreateAwsBatchAsync(ManagerSettings settings, string clusterId, BatchJobEnvironment? ownJob, ConsoleClusterObserver observer, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new AwsBatchClient(new AwsBatchClientOptions { Region = settings.Region, ServiceUrl = settings.BatchEndpoint }, loggerFactory, time);
        try
        {
            var endpoint = client.GetEndpoint();

            // Inside a Batch job the manager takes queue, definition and name from its own job; flags win.
            string? queue = settings.Queue, definition = settings.Definition, namePrefix = settings.JobNamePrefix;
            if (ownJob is not null && (queue is null || definition is null || namePrefix is null))
            {
                var described = await client.DescribeJobsAsync([ownJob.JobId], cancellationToken).ConfigureAwait(false);
                var own = (described.Count > 0 ? described[0] : null)
                    ?? throw new ManagerSetupException($"AWS_BATCH_JOB_ID is {ownJob.JobId}, but AWS Batch does not know that job; pass --queue and --definition.");
                queue ??= own.JobQueue;
                definition ??= own.JobDefinition;
                namePrefix ??= own.JobName;
                observer.Info($"Running as Batch job {ownJob.JobId}: silo jobs go to {queue} with {definition}");
            }

            if (queue is null || definition is null)
            {
                throw new ManagerSetupException("--queue and --definition are required with --backend aws-batch outside an AWS Batch job.");
            }

            var environment = new Dictionary<string, string>
            {
                // ECS on EC2 does not always set a region in the container; the silos need the manager's.
                ["AWS_REGION"] = endpoint.SigningRegion,
                ["AWS_DEFAULT_REGION"] = endpoint.SigningRegion,
            };
            if (IsLoopback(settings.BatchEndpoint))
            {
                // A Batch endpoint on this machine (the emulator) runs its jobs here too.
                environment["OrleansBatch__Silo__AdvertisedAddress"] = IPAddress.Loopback.ToString();
            }

            var backend = new AwsBatchBackend(
                client,
                new AwsBatchBackendOptions
                {
                    JobQueue = queue,
                    JobDefinition = definition,
                    JobNamePrefix = namePrefix ?? "orleans-batch",
                    Vcpus = settings.Vcpus,
                    MemoryMiB = settings.MemoryMiB,
                    Gpus = settings.Gpus,
                    MaxRuntime = settings.MaxRuntime ?? AwsBatchBackendOptions.DefaultMaxRuntime,
                    ManagerJobId = ownJob?.JobId,
                    Environment = environment,
                },
                time,
                loggerFactory.CreateLogger<AwsBatchBackend>());
            var membership = new DynamoDBClusterMembership(clusterId, DynamoDBOptions(settings, settings.Region ?? endpoint.SigningRegion), loggerFactory, time);

            // DescribeJobs takes 100 ids a call: poll large clusters less often to stay far below Batch's limits.
            var poll = TimeSpan.FromMilliseconds(Math.Max(IsLoopback(settings.BatchEndpoint) ? 500 : 2000, (settings.MaxSilos + 99) / 100 * 200));
            var environmentResult = new ClusterEnvironment
            {
                Backend = backend,
                Membership = membership,
                LaunchOptions = CreateLaunchOptions(settings, clusterId, settings.LaunchTimeout ?? BatchLaunchTimeout, poll, poll * 5),
                Description = $"on AWS Batch ({endpoint.ServiceUri.Authority}, queue {queue}, definition {definition}; cluster {clusterId}; membership: {membership.Description})",
                LogsCommandFor = jobId => Commands.LogsCommandLine.For(jobId, endpoint.SigningRegion, settings.BatchEndpoint),
                CleanupCommand = Commands.CleanupCommandLine.For(clusterId, settings with { Queue = queue }, region: settings.Region ?? endpoint.SigningRegion),
            };
            environmentResult._owned.Add(client);
            return environmentResult;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static ClusterLaunchOptions CreateLaunchOptions(ManagerSettings settings, string clusterId, TimeSpan timeout, TimeSpan poll, TimeSpan monitor) => new()
    {
        ClusterId = clusterId,
        MaxSilos = settings.MaxSilos,
        MinSilos = settings.MinSilos,
        LaunchTimeout = timeout,
        PollInterval = poll,
        MonitorInterval = monitor,
        OrphanTimeout = settings.OrphanTimeout,
        TeardownTimeout = settings.TeardownTimeout,
    };

    private static DynamoDBMembershipOptions DynamoDBOptions(ManagerSettings settings, string? region) => new()
    {
        TableName = settings.Table ?? DynamoDBMembershipOptions.DefaultTableName,
        Region = region,
        ServiceUrl = settings.DynamoDBEndpoint is { } url ? new Uri(url) : null,

        // Creating the table is for local endpoints and explicit requests; production tables come from deploy/.
        CreateIfNotExists = settings.CreateTable ?? IsLoopback(settings.DynamoDBEndpoint),
    };

    private static bool IsLoopback(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)));
}

/// <summary>The manager cannot start with what it was given; the message says what to change.</summary>
internal sealed class ManagerSetupException(string message) : Exception(message);
