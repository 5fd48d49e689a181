namespace Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;

/// <summary>How the aws-batch backend submits silo jobs.</summary>
internal sealed class AwsBatchBackendOptions
{
    /// <summary>The default hard cap on each silo job's run time (<c>--max-runtime</c>): 4 hours.</summary>
    public static readonly TimeSpan DefaultMaxRuntime = TimeSpan.FromHours(4);

    /// <summary>The job queue (name or ARN) for silo jobs (<c>--queue</c>).</summary>
    public required string JobQueue { get; init; }

    /// <summary>The job definition (name, name:revision, or ARN) whose image runs the Launcher (<c>--definition</c>).</summary>
    public required string JobDefinition { get; init; }

    /// <summary>The prefix of the silo jobs' names (<c>--name</c>). Default <c>orleans-batch</c>.</summary>
    public string JobNamePrefix { get; init; } = "orleans-batch";

    /// <summary>vCPUs per silo job (<c>--vcpus</c>); null keeps the job definition's.</summary>
    public double? Vcpus { get; init; }

    /// <summary>Memory per silo job in MiB (<c>--memory</c>); null keeps the job definition's.</summary>
    public int? MemoryMiB { get; init; }

    /// <summary>GPUs per silo job (<c>--gpus</c>); null keeps the job definition's.</summary>
    public int? Gpus { get; init; }

    /// <summary>
    /// The Batch job timeout of every silo job (<c>--max-runtime</c>): a hard cap on cost, so even a silo that can
    /// reach neither its manager nor DynamoDB ends. Default <see cref="DefaultMaxRuntime"/>; Batch's minimum is 60 s.
    /// </summary>
    public TimeSpan MaxRuntime { get; init; } = DefaultMaxRuntime;

    /// <summary>The command each silo job runs (the image's entry point is the Launcher). Default <c>["silo"]</c>.</summary>
    public IReadOnlyList<string> SiloCommand { get; init; } = ["silo"];

    /// <summary>The manager's own Batch job id, when it runs as a Batch job (tagged on silo jobs).</summary>
    public string? ManagerJobId { get; init; }

    /// <summary>
    /// Extra environment variables for every silo job (for example <c>AWS_REGION</c>, which ECS on EC2 does not
    /// always set).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The address every silo advertises; null (the default) lets each discover its own (ECS task metadata, EC2
    /// instance metadata, interfaces). Set for a Batch endpoint on this machine, whose jobs run here too.
    /// </summary>
    public string? AdvertisedAddress { get; init; }

    /// <summary>The Batch endpoint the silos' kill switch calls; null (the default): AWS's own for the region.</summary>
    public Uri? BatchServiceUrl { get; init; }

    /// <summary>How long tear-down waits for the terminated jobs to end, to report them. Default 60 s.</summary>
    public TimeSpan TerminationWaitLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often tear-down re-checks terminated jobs. Default 2 s.</summary>
    public TimeSpan TerminationPollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
