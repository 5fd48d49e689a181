using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.LocalState;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// Everything a manager run holds, composed from <see cref="BatchClusterOptions"/>: the backend that runs the silos
/// (inside a Batch job, queue, definition and name come from the manager's own job), the membership table, and the
/// launch options. One composition for every host: the command line, a worker service, a test.
/// </summary>
public sealed class BatchClusterEnvironment : IAsyncDisposable
{
    private static readonly TimeSpan LocalLaunchTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] ForwardedTelemetryVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_METRIC_EXPORT_INTERVAL", "OTEL_METRICS_EXPORTER"];
    private static readonly TimeSpan BatchLaunchTimeout = TimeSpan.FromMinutes(20);
    private readonly List<IDisposable> _owned = [];

    private BatchClusterEnvironment()
    {
    }

    /// <summary>Where the silos run.</summary>
    public required ISiloBackend Backend { get; init; }

    /// <summary>The cluster's membership table.</summary>
    public required IClusterMembership Membership { get; init; }

    /// <summary>How many silos, how long to wait, and the cluster id.</summary>
    public required ClusterLaunchOptions LaunchOptions { get; init; }

    /// <summary>The cluster id.</summary>
    public string ClusterId => LaunchOptions.ClusterId;

    /// <summary>A local run's own directory (its silo logs); null on AWS Batch.</summary>
    public LocalRunDirectory? LocalRun { get; init; }

    /// <summary>The region AWS Batch is called in; null on the local backend.</summary>
    public string? BatchRegion { get; init; }

    /// <summary>The queue the silo jobs go to (from the options or the manager's own job); null on the local backend.</summary>
    public string? BatchQueue { get; init; }

    /// <summary>A phrase saying where the silos run, for people.</summary>
    public required string Description { get; init; }

    /// <summary>One silo job's vCPUs on AWS Batch (from the preflight); null locally.</summary>
    internal double? SiloVcpus { get; init; }

    /// <summary>One silo job's memory in MiB on AWS Batch, when known; null locally.</summary>
    internal int? SiloMemoryMiB { get; init; }

    /// <summary>
    /// Composes the environment. Nothing is launched yet; on AWS Batch inside a Batch job, the manager's own job is
    /// described once to fill in queue, definition and name prefix.
    /// </summary>
    /// <param name="options">What to launch and where.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="timeProvider">Time; null for the system clock.</param>
    /// <param name="observer">Receives what is inferred and local silo output; may be null.</param>
    /// <param name="cancellationToken">Cancels the composition.</param>
    /// <returns>The environment; dispose it after the cluster is shut down.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid; the messages name the settings.</exception>
    /// <exception cref="LocalStateException">Local state cannot be kept where the settings say.</exception>
    /// <exception cref="Preflight.BatchPreflightException">On AWS Batch: the queue, its compute environments or the job definition cannot run the silos (nothing was submitted).</exception>
    public static async Task<BatchClusterEnvironment> CreateAsync(
        BatchClusterOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        IClusterLaunchObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (new BatchClusterOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(BatchClusterOptions.SectionName, typeof(BatchClusterOptions), invalid.Failures);
        }

        var time = timeProvider ?? TimeProvider.System;
        var ownJob = BatchJobEnvironment.Current();
        var clusterId = options.ClusterId ?? ownJob?.JobId ?? ClusterIdGenerator.NewClusterId(time);
        if (ClusterIdGrammar.Validate(clusterId, options.ClusterId is null && ownJob is not null ? BatchJobEnvironment.JobIdVariable : BatchClusterOptions.SectionName + ":ClusterId") is { } idError)
        {
            throw new OptionsValidationException(BatchClusterOptions.SectionName, typeof(BatchClusterOptions), [idError]);
        }

        return options.EffectiveBackend() == BatchClusterOptions.AwsBatchBackend
            ? await CreateAwsBatchAsync(options, clusterId, ownJob, observer, loggerFactory, time, cancellationToken).ConfigureAwait(false)
            : CreateLocal(options, clusterId, observer, loggerFactory, time);
    }

    /// <summary>A launcher for this environment.</summary>
    /// <param name="observer">Receives progress and warnings; null for none.</param>
    /// <param name="loggerFactory">Logging of the launch.</param>
    /// <param name="timeProvider">Time; null for the system clock.</param>
    /// <param name="configureClientLogging">Logging of the manager's Orleans client.</param>
    /// <param name="configureClient">The application's own client configuration.</param>
    /// <returns>The launcher.</returns>
    public ClusterLauncher CreateLauncher(
        IClusterLaunchObserver? observer,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        Action<ILoggingBuilder>? configureClientLogging = null,
        Action<IClientBuilder>? configureClient = null) =>
        new(Backend, Membership, LaunchOptions, observer, loggerFactory, timeProvider, configureClientLogging, configureClient);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync().ConfigureAwait(false);
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        (Membership as IDisposable)?.Dispose();
    }

    private static BatchClusterEnvironment CreateLocal(BatchClusterOptions options, string clusterId, IClusterLaunchObserver? observer, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var run = LocalRunDirectory.Create(clusterId);
        var program = options.LocalSiloProgram ?? CurrentProgram.Command();
        var backend = new LocalProcessBackend(
            new LocalProcessBackendOptions
            {
                FileName = program[0],
                Arguments = [.. program.Skip(1), .. options.SiloArguments],
                LogDirectory = run.LogDirectory,
                OnOutput = observer is null ? null : observer.OnSiloOutput,
                ForwardLevel = options.SiloOutputLevel,
            },
            loggerFactory.CreateLogger<LocalProcessBackend>());
        IClusterMembership membership = options.UsesDynamoDB
            ? new DynamoDBClusterMembership(clusterId, DynamoDBOptions(options, region: options.Region), loggerFactory, time)
            : new LocalClusterMembership(clusterId, new LocalMembershipOptions(), loggerFactory);
        return new BatchClusterEnvironment
        {
            Backend = backend,
            Membership = membership,
            LaunchOptions = CreateLaunchOptions(options, clusterId, options.LaunchTimeout ?? LocalLaunchTimeout, options.UsesDynamoDB ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)),
            LocalRun = run,
            Description = $"on the local backend (cluster {clusterId}; membership: {membership.Description}; silo logs in {run.LogDirectory})",
        };
    }

    private static async Task<BatchClusterEnvironment> CreateAwsBatchAsync(BatchClusterOptions options, string clusterId, BatchJobEnvironment? ownJob, IClusterLaunchObserver? observer, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new AwsBatchClient(new AwsBatchClientOptions { Region = options.Region, ServiceUrl = options.BatchEndpoint?.OriginalString }, loggerFactory, time);
        try
        {
            var endpoint = client.GetEndpoint();

            // Inside a Batch job the manager takes queue, definition and name from its own job; settings win.
            string? queue = options.Queue, definition = options.JobDefinition, namePrefix = options.JobNamePrefix;
            if (ownJob is not null && (queue is null || definition is null || namePrefix is null))
            {
                var described = await client.DescribeJobsAsync([ownJob.JobId], cancellationToken).ConfigureAwait(false);
                var own = (described.Count > 0 ? described[0] : null)
                    ?? throw new OptionsValidationException(BatchClusterOptions.SectionName, typeof(BatchClusterOptions),
                        [$"{BatchJobEnvironment.JobIdVariable} is {InputText.Quote(ownJob.JobId)}, but AWS Batch does not know that job; set {BatchClusterOptions.SectionName}:Queue and :JobDefinition"]);
                queue ??= own.JobQueue;
                definition ??= own.JobDefinition;
                namePrefix ??= own.JobName;
                observer?.OnInfo($"Running as Batch job {ownJob.JobId}: silo jobs go to {queue} with {definition}");
            }

            if (queue is null || definition is null)
            {
                throw new OptionsValidationException(BatchClusterOptions.SectionName, typeof(BatchClusterOptions),
                    [$"{BatchClusterOptions.SectionName}:Queue and :JobDefinition are required with the {BatchClusterOptions.AwsBatchBackend} backend outside an AWS Batch job"]);
            }

            // Before anything is submitted: refuse what would leave silos waiting forever or failing at once.
            var preflight = await Preflight.BatchPreflight.RunAsync(client, new Preflight.PreflightRequest(queue, definition, options.Silos, options.Vcpus, options.MemoryMiB, options.Gpus), cancellationToken).ConfigureAwait(false);
            if (preflight.BlocksLaunch)
            {
                throw new Preflight.BatchPreflightException(preflight);
            }

            foreach (var warning in preflight.Warnings)
            {
                observer?.OnWarning(warning.Message);
            }

            var environment = new Dictionary<string, string>
            {
                // ECS on EC2 does not always set a region in the container; the silos need the manager's.
                ["AWS_REGION"] = endpoint.SigningRegion,
                ["AWS_DEFAULT_REGION"] = endpoint.SigningRegion,
            };

            // Silos export telemetry where the manager does. Never OTEL_EXPORTER_OTLP_HEADERS: headers can carry
            // credentials, and DescribeJobs shows a job's environment to anyone allowed to describe jobs.
            foreach (var variable in ForwardedTelemetryVariables)
            {
                if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                {
                    environment[variable] = value;
                }
            }

            var backend = new AwsBatchBackend(
                client,
                new AwsBatchBackendOptions
                {
                    JobQueue = queue,
                    JobDefinition = definition,
                    JobNamePrefix = namePrefix ?? "orleans-batch",
                    Vcpus = options.Vcpus,
                    MemoryMiB = options.MemoryMiB,
                    Gpus = options.Gpus,
                    MaxRuntime = options.MaxRuntime ?? AwsBatchBackendOptions.DefaultMaxRuntime,
                    ManagerJobId = ownJob?.JobId,
                    SiloCommand = options.SiloArguments,

                    // A Batch endpoint on this machine (the emulator) runs its jobs here too.
                    AdvertisedAddress = IsLoopback(options.BatchEndpoint) ? IPAddress.Loopback.ToString() : null,

                    // The silos' kill switch calls the same Batch endpoint as the manager (a VPC endpoint, the emulator).
                    BatchServiceUrl = options.BatchEndpoint,
                    Environment = environment,
                },
                time,
                loggerFactory.CreateLogger<AwsBatchBackend>());
            var membership = new DynamoDBClusterMembership(clusterId, DynamoDBOptions(options, options.Region ?? endpoint.SigningRegion), loggerFactory, time);

            // DescribeJobs takes 100 ids a call: poll large clusters less often to stay far below Batch's limits.
            var poll = TimeSpan.FromMilliseconds(Math.Max(IsLoopback(options.BatchEndpoint) ? 500 : 2000, (options.Silos + 99) / 100 * 200));
            var result = new BatchClusterEnvironment
            {
                Backend = backend,
                Membership = membership,
                // A Batch endpoint on this machine (the emulator) places jobs in milliseconds: say why they wait sooner.
                LaunchOptions = CreateLaunchOptions(options, clusterId, options.LaunchTimeout ?? BatchLaunchTimeout, poll, poll * 5,
                    IsLoopback(options.BatchEndpoint) ? TimeSpan.FromSeconds(3) : TimeSpan.FromMinutes(1)),
                BatchRegion = endpoint.SigningRegion,
                BatchQueue = queue,
                Description = $"on AWS Batch ({endpoint.ServiceUri.Authority}, queue {queue}, definition {definition}; cluster {clusterId}; membership: {membership.Description})",
                SiloVcpus = preflight.SiloVcpus,
                SiloMemoryMiB = preflight.SiloMemoryMiB,
            };
            result._owned.Add(client);
            return result;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static ClusterLaunchOptions CreateLaunchOptions(BatchClusterOptions options, string clusterId, TimeSpan timeout, TimeSpan poll, TimeSpan monitor, TimeSpan? waitingDiagnosisAfter = null) => new()
    {
        WaitingDiagnosisAfter = waitingDiagnosisAfter ?? TimeSpan.FromMinutes(1),
        ClusterId = clusterId,
        MaxSilos = options.Silos,
        MinSilos = options.MinSilos,
        ReplaceLost = options.ReplaceLost,
        LaunchTimeout = timeout,
        PollInterval = poll,
        MonitorInterval = monitor,
        OrphanTimeout = options.OrphanTimeout,
        TeardownTimeout = options.TeardownTimeout,
        Tls = options.EffectiveTls(),
        TlsCertificate = options.TlsCertificate,
        Dashboard = options.Dashboard,
    };

    private static DynamoDBMembershipOptions DynamoDBOptions(BatchClusterOptions options, string? region) => new()
    {
        TableName = options.EffectiveTable,
        Region = region,
        ServiceUrl = options.DynamoDBEndpoint,

        // Creating the table is for local endpoints and explicit requests; production tables come from deploy/.
        CreateIfNotExists = options.CreateTable ?? IsLoopback(options.DynamoDBEndpoint),
    };

    private static bool IsLoopback(Uri? uri) =>
        uri is not null && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)));
}
