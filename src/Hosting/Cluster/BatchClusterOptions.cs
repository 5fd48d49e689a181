using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// What cluster a manager launches and where (configuration section <c>OrleansBatch:Cluster</c>): the backend, how
/// many silos, how long to wait, the AWS Batch job settings and the membership table. The command line's flags map
/// onto these one for one.
/// </summary>
public sealed class BatchClusterOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "OrleansBatch:Cluster";

    /// <summary>The local backend's name: silos run as child processes of the manager.</summary>
    public const string LocalBackend = Backends.Local.LocalProcessBackend.BackendName;

    /// <summary>The AWS Batch backend's name: silos run as one array job.</summary>
    public const string AwsBatchBackend = Backends.AwsBatch.AwsBatchBackend.BackendName;

    /// <summary>
    /// Where silos run: <see cref="LocalBackend"/> or <see cref="AwsBatchBackend"/>. Default (null):
    /// <c>aws-batch</c> when <see cref="Queue"/> is set or the manager runs inside a Batch job, else <c>local</c>.
    /// </summary>
    public string? Backend { get; set; }

    /// <summary>How many silos to launch and wait for (<c>--silos</c>). Default 4.</summary>
    public int Silos { get; set; } = 4;

    /// <summary>The fewest active silos to go on with once <see cref="LaunchTimeout"/> passes. Default (null): all of them.</summary>
    public int? MinSilos { get; set; }

    /// <summary>
    /// How many silos lost to their infrastructure (Spot reclamation, an instance failure, a killed process) the cluster
    /// replaces over its life (<c>--replace-lost</c>); 0 turns it off. Default (null): a tenth of <see cref="Silos"/>, at least 2.
    /// </summary>
    public int? ReplaceLost { get; set; }

    /// <summary>How long to wait for the silos. Default (null): 3 minutes locally, 20 minutes on AWS Batch.</summary>
    public TimeSpan? LaunchTimeout { get; set; }

    /// <summary>The Orleans ClusterId. Default (null): the manager's <c>AWS_BATCH_JOB_ID</c>, else a new unique id.</summary>
    public string? ClusterId { get; set; }

    /// <summary>How long silos wait for the manager's lease to be renewed before they stop themselves. Default 60 s.</summary>
    public TimeSpan OrphanTimeout { get; set; } = ManagerLeaseOptions.DefaultOrphanTimeout;

    /// <summary>How long tear-down keeps trying to stop the silos before it gives up and marks the cluster abandoned. Default 10 minutes.</summary>
    public TimeSpan TeardownTimeout { get; set; } = ClusterLaunchOptions.DefaultTeardownTimeout;

    /// <summary>The job queue of the silo jobs. Default: the manager's own queue when it runs as a Batch job.</summary>
    public string? Queue { get; set; }

    /// <summary>The job definition whose image runs the silos. Default: the manager's own when it runs as a Batch job.</summary>
    public string? JobDefinition { get; set; }

    /// <summary>The prefix of the silo jobs' names. Default: the manager's own job name inside Batch, else <c>orleans-batch</c>.</summary>
    public string? JobNamePrefix { get; set; }

    /// <summary>
    /// Whether the cluster's connections use mutually authenticated TLS with a fresh per-cluster certificate
    /// (<c>--tls</c>). Default (null): on with the aws-batch backend, where traffic leaves the machine; off locally.
    /// </summary>
    public bool? Tls { get; set; }

    /// <summary>
    /// A certificate to use instead of a fresh one (<c>--tls-certificate</c>): PEM text, or the path of a PEM file,
    /// with the certificate and its unencrypted private key. Turns TLS on. Default: null.
    /// </summary>
    public string? TlsCertificate { get; set; }

    /// <summary>
    /// Whether the silos publish what the Orleans Dashboard shows, for a dashboard hosted by the manager
    /// (<c>--dashboard</c>). Default false.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>Whether the cluster uses TLS: <see cref="Tls"/> when set, else on for aws-batch or with a <see cref="TlsCertificate"/>.</summary>
    public bool EffectiveTls() => Tls ?? (TlsCertificate is not null || EffectiveBackend() == AwsBatchBackend);

    /// <summary>The AWS region. Default: the SDK's chain (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, profile, instance metadata).</summary>
    public string? Region { get; set; }

    /// <summary>vCPUs per silo job. Default: the job definition's.</summary>
    public double? Vcpus { get; set; }

    /// <summary>Memory per silo job in MiB. Default: the job definition's.</summary>
    public int? MemoryMiB { get; set; }

    /// <summary>GPUs per silo job. Default: the job definition's.</summary>
    public int? Gpus { get; set; }

    /// <summary>The Batch job timeout of every silo job: a hard cap on cost. Default 4 hours.</summary>
    public TimeSpan? MaxRuntime { get; set; }

    /// <summary>The AWS Batch endpoint (a VPC endpoint, the emulator). Default: the regional endpoint.</summary>
    public Uri? BatchEndpoint { get; set; }

    /// <summary>The DynamoDB membership table; set locally, it moves membership from a file to DynamoDB. Default <c>OrleansBatchMembership</c>.</summary>
    public string? MembershipTable { get; set; }

    /// <summary>The DynamoDB endpoint (DynamoDB Local); set locally, it moves membership to DynamoDB. Default: the regional endpoint.</summary>
    public Uri? DynamoDBEndpoint { get; set; }

    /// <summary>Whether to create a missing membership table. Default (null): only for a loopback <see cref="DynamoDBEndpoint"/>.</summary>
    public bool? CreateTable { get; set; }

    /// <summary>Which local silo output the launch observer receives. Default <see cref="LogLevel.Error"/>.</summary>
    public LogLevel SiloOutputLevel { get; set; } = LogLevel.Error;

    /// <summary>
    /// The arguments that make the program a silo: the local backend runs <see cref="LocalSiloProgram"/> with them, and
    /// they are the silo jobs' command on AWS Batch (whose image's entry point is the program). Default <c>silo</c>,
    /// which is what <c>OrleansBatchApplication</c> answers to.
    /// </summary>
    public IReadOnlyList<string> SiloArguments { get; set; } = ["silo"];

    /// <summary>
    /// The program the local backend starts for each silo: the file name, then any arguments before
    /// <see cref="SiloArguments"/> (a dll after <c>dotnet</c>). Default (null): this same program.
    /// </summary>
    public IReadOnlyList<string>? LocalSiloProgram { get; set; }

    /// <summary>The backend these options choose, with the default applied.</summary>
    /// <returns><see cref="LocalBackend"/> or <see cref="AwsBatchBackend"/>.</returns>
    public string EffectiveBackend() => ChooseBackend(Backend, Queue);

    /// <summary>
    /// The backend a run uses: <paramref name="backend"/> when given, else <c>aws-batch</c> when a queue is given or
    /// the manager runs inside a Batch job, else <c>local</c>. The one place this default is decided.
    /// </summary>
    /// <param name="backend">The backend asked for, if any.</param>
    /// <param name="queue">The job queue asked for, if any.</param>
    /// <returns><see cref="LocalBackend"/> or <see cref="AwsBatchBackend"/> (or the unknown name asked for).</returns>
    internal static string ChooseBackend(string? backend, string? queue) => backend
        ?? (queue is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AwsBatch.BatchJobEnvironment.JobIdVariable)) ? AwsBatchBackend : LocalBackend);

    /// <summary>True when membership is kept in DynamoDB: always on AWS Batch, locally when a table or endpoint is set.</summary>
    public bool UsesDynamoDB => EffectiveBackend() != LocalBackend || MembershipTable is not null || DynamoDBEndpoint is not null;

    /// <summary>The table name with its default.</summary>
    internal string EffectiveTable => MembershipTable ?? DynamoDBMembershipOptions.DefaultTableName;
}
