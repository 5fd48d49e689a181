namespace Orleans.Batch.Hosting.Cluster;

/// <summary>How many silos to launch and how long to wait for them.</summary>
public sealed class ClusterLaunchOptions
{
    /// <summary>The largest allowed silo count (the AWS Batch array size limit).</summary>
    public const int MaxSiloCount = 10_000;

    /// <summary>The largest replacement budget (<c>--replace-lost</c>): ten attempts for every silo of the largest cluster.</summary>
    public const int MaxReplaceLost = 100_000;

    /// <summary>The cluster id (Orleans ClusterId): the manager's Batch job id, or a generated id.</summary>
    public required string ClusterId { get; init; }

    /// <summary>The Orleans ServiceId. Default <c>orleans-batch</c>.</summary>
    public string ServiceId { get; init; } = Configuration.OrleansBatchConfiguration.DefaultServiceId;

    /// <summary>How many silos are launched and waited for.</summary>
    public required int MaxSilos { get; init; }

    /// <summary>How many active silos are enough to go on when <see cref="LaunchTimeout"/> passes. Default: all.</summary>
    public int? MinSilos { get; init; }

    /// <summary>How long to wait for the silos to become active. Default 3 minutes.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How often the backend and the membership table are polled while waiting. Default 50 ms (right for local
    /// processes, where a poll is a file read; the Launcher polls AWS Batch every 2 s or more).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long silos wait for the manager to renew its lease before they stop themselves (<c>--orphan-timeout</c>).
    /// Default 60 s; null turns the lease off.
    /// </summary>
    public TimeSpan? OrphanTimeout { get; init; } = Orleans.Batch.Hosting.Membership.Lease.ManagerLeaseOptions.DefaultOrphanTimeout;

    /// <summary>How often a running cluster's silos are checked for deaths. Default 1 s; a large cluster is checked every N/100 s (at most 10 s).</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long silos may wait to start (on Batch: RUNNABLE) before the manager says why, and how often it looks
    /// again (it prints only what changed). Default 1 minute.
    /// </summary>
    public TimeSpan WaitingDiagnosisAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the manager's client may take to connect once the silos are active. Default 30 s.</summary>
    public TimeSpan ClientConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the manager's grain calls may run before Orleans gives up on them (the client's
    /// <c>ResponseTimeout</c>). Default 30 minutes: batch calls compute for long; a silo that dies is noticed by
    /// the membership protocol and the cluster monitor, not by this timeout. Orleans' own default is 30 s.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long silos get to stop gracefully at tear-down before they are forced. Default 10 s.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long tear-down keeps trying to stop the silos' compute (TerminateJob retried with backoff, then confirmed
    /// with DescribeJobs) before it gives up, marks the cluster abandoned and says how to clean it up. Default 10
    /// minutes; a second Ctrl+C cuts it short.
    /// </summary>
    public TimeSpan TeardownTimeout { get; init; } = DefaultTeardownTimeout;

    /// <summary>The default <see cref="TeardownTimeout"/>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultTeardownTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many silos lost to their infrastructure (Spot reclamation, an instance failure, a killed process) the
    /// cluster replaces over its life (<c>--replace-lost</c>); 0 turns replacement off. A silo that fails because the
    /// workload's code crashed it is never replaced. Default: a tenth of <see cref="MaxSilos"/>, at least 2.
    /// </summary>
    public int? ReplaceLost { get; init; }

    /// <summary>
    /// Whether every silo-to-silo and client-to-gateway connection uses TLS with mutual authentication: the manager
    /// makes a fresh certificate for the cluster (or takes <see cref="TlsCertificate"/>), leaves it beside the
    /// cluster's membership rows for the silos, and every end accepts only that certificate. Default false;
    /// <see cref="BatchClusterEnvironment"/> turns it on for AWS Batch.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>
    /// The certificate to use instead of a fresh one: PEM text, or the path of a PEM file, holding the certificate and
    /// its unencrypted private key. Setting it turns <see cref="Tls"/> on. Default: null.
    /// </summary>
    public string? TlsCertificate { get; init; }

    /// <summary>
    /// Whether the silos publish what the Orleans Dashboard shows (its grain service and call profiler), for a
    /// dashboard the manager hosts. Default false: the profiler costs a little on every grain call.
    /// </summary>
    public bool Dashboard { get; init; }

    /// <summary>Whether the cluster uses TLS (<see cref="Tls"/>, or a <see cref="TlsCertificate"/> was given).</summary>
    public bool EffectiveTls => Tls || TlsCertificate is not null;

    /// <summary>The effective replacement budget.</summary>
    public int EffectiveReplaceLost => ReplaceLost ?? Math.Max(2, MaxSilos / 10);

    /// <summary>The effective minimum.</summary>
    public int EffectiveMinSilos => MinSilos ?? MaxSilos;

    /// <summary>Checks the values; the messages name the command-line flags that set them.</summary>
    public void Validate()
    {
        if (Configuration.ClusterIdGrammar.Validate(ClusterId, nameof(ClusterId)) is { } error)
        {
            throw new ArgumentException(error, nameof(ClusterId));
        }

        if (TeardownTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TeardownTimeout), TeardownTimeout, "--teardown-timeout must be positive.");
        }

        if (MaxSilos is < 1 or > MaxSiloCount)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSilos), MaxSilos, $"--silos must be between 1 and {MaxSiloCount}.");
        }

        if (MinSilos is { } min && (min < 1 || min > MaxSilos))
        {
            throw new ArgumentOutOfRangeException(nameof(MinSilos), min, $"--min-silos must be between 1 and --silos ({MaxSilos}).");
        }

        if (ReplaceLost is < 0 or > MaxReplaceLost)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplaceLost), ReplaceLost, $"--replace-lost must be between 0 and {MaxReplaceLost}.");
        }

        if (OrphanTimeout is { } orphan && orphan < TimeSpan.FromSeconds(5))
        {
            throw new ArgumentOutOfRangeException(nameof(OrphanTimeout), orphan, "--orphan-timeout must be at least 5 seconds.");
        }

        if (LaunchTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(LaunchTimeout), LaunchTimeout, "--timeout must be positive.");
        }
    }
}
