namespace Orleans.Batch.BatchEmulator;

/// <summary>
/// Settings of one Batch emulator instance. Every member maps to a command-line flag (see README.md).
/// </summary>
public sealed class BatchEmulatorOptions
{
    /// <summary>The label every container of <see cref="Containers"/> mode carries (its value names the emulator instance).</summary>
    public const string ContainerLabel = "orleans-batch.emulator";

    /// <summary>The TCP port to listen on, on 127.0.0.1. Default 0: a free port chosen by the OS.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The executable that stands for every job definition's container image (the Launcher). A path ending in
    /// <c>.dll</c> is run with <c>dotnet</c>. Default none: jobs on queues that run processes then fail to start.
    /// </summary>
    public string? LauncherPath { get; set; }

    /// <summary>
    /// Per-image executables that take precedence over <see cref="LauncherPath"/>, keyed by the exact
    /// <c>containerProperties.image</c> of a job definition. Default empty.
    /// </summary>
    public IDictionary<string, string> ImageLaunchers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// When true every job runs its definition's image as a container (<see cref="ContainerEngine"/>, host
    /// networking, the job's vCPUs and memory as limits), instead of <see cref="LauncherPath"/> as a process.
    /// Default false.
    /// </summary>
    public bool Containers { get; set; }

    /// <summary>The container engine for <see cref="Containers"/>: a podman-compatible CLI. Default <c>podman</c>.</summary>
    public string ContainerEngine { get; set; } = "podman";

    /// <summary>
    /// When true no job runs a process: jobs move through their states on timers only (control-plane
    /// benchmarks). Queues can override it. Default false.
    /// </summary>
    public bool Simulated { get; set; }

    /// <summary>
    /// How long a simulated job stays RUNNING before it SUCCEEDS; <c>null</c> keeps it RUNNING until it is
    /// terminated or times out. Default null.
    /// </summary>
    public TimeSpan? SimulatedRunDuration { get; set; }

    /// <summary>
    /// How long a job stays in each of SUBMITTED, PENDING, RUNNABLE and STARTING before it moves on. Queues can
    /// override it. Default 200 ms.
    /// </summary>
    public TimeSpan TransitionDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The time between SIGTERM and SIGKILL when a job is terminated or times out. Default 30 s, like ECS's
    /// default stop timeout.
    /// </summary>
    public TimeSpan TerminationGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Multiplies the maxTimeSeconds of job queues' jobStateTimeLimitActions (Batch's minimum is 600 s): tests set
    /// 0.01 to see a 10-minute action fire in 6 s. Default 1.
    /// </summary>
    public double StateTimeLimitScale { get; set; } = 1;

    /// <summary>
    /// The smallest <c>timeout.attemptDurationSeconds</c> accepted. Default 60, like Batch; tests lower it to
    /// exercise timeouts quickly.
    /// </summary>
    public int MinimumTimeoutSeconds { get; set; } = 60;

    /// <summary>The region requests must be signed for and ARNs are built with. Default <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account id used in ARNs. Default <c>123456789012</c>.</summary>
    public string AccountId { get; set; } = "123456789012";

    /// <summary>Access key ids answered with <c>ExpiredTokenException</c> (403). Default empty.</summary>
    public ISet<string> ExpiredAccessKeys { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Access key ids answered with <c>UnrecognizedClientException</c> (403). Default empty.</summary>
    public ISet<string> InvalidAccessKeys { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Job queues registered at start, with compute environment <c>&lt;name&gt;-ce</c>. Default empty.</summary>
    public IList<string> Queues { get; } = new List<string>();

    /// <summary>
    /// Job definitions registered at start (type container, no command), each <c>name</c> or <c>name=image</c>
    /// (the image defaults to the name). Default empty.
    /// </summary>
    public IList<string> JobDefinitions { get; } = new List<string>();

    /// <summary>The most log events kept per log stream; older events are dropped. Default 100 000.</summary>
    public int MaxLogEventsPerStream { get; set; } = 100_000;

    /// <summary>
    /// The directory under which each job process gets its own working directory. Default: a fresh directory
    /// in the system temp directory, deleted when the emulator stops.
    /// </summary>
    public string? WorkDirectory { get; set; }

    /// <summary>
    /// A folder with AWS DynamoDB Local (DynamoDBLocal.jar and DynamoDBLocal_lib, directly or under
    /// package/emulator) to run beside the emulator, in memory, on a free port (<see cref="BatchEmulatorHost.DynamoDBEndpoint"/>).
    /// Default none.
    /// </summary>
    public string? DynamoDBLocalDirectory { get; set; }

    /// <summary>Stop (and stop every job) when the process with this id has exited. Default none.</summary>
    public int? ExitWithProcessId { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port must be between 0 and 65535, not {Port}.");
        }

        if (TransitionDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("--transition-delay must not be negative.");
        }

        if (TerminationGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("--termination-grace-period must not be negative.");
        }

        if (SimulatedRunDuration < TimeSpan.Zero)
        {
            throw new ArgumentException("--simulated-run-duration must not be negative.");
        }

        if (MinimumTimeoutSeconds < 1)
        {
            throw new ArgumentException("--min-timeout-seconds must be at least 1.");
        }

        if (StateTimeLimitScale is <= 0 or > 1 || double.IsNaN(StateTimeLimitScale))
        {
            throw new ArgumentException($"--state-time-limit-scale must be more than 0 and at most 1, not {StateTimeLimitScale}.");
        }

        if (MaxLogEventsPerStream < 1)
        {
            throw new ArgumentException("--max-log-events must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            throw new ArgumentException("--region must not be empty.");
        }

        if (AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"--account-id must be 12 digits, not '{AccountId}'.");
        }

        if (Containers && (LauncherPath is not null || ImageLaunchers.Count > 0))
        {
            throw new ArgumentException("--containers runs each job definition's image: it cannot be combined with --launcher or --image-launcher.");
        }

        if (Containers && Simulated)
        {
            throw new ArgumentException("--containers and --simulated exclude each other: a simulated job runs nothing.");
        }

        if (string.IsNullOrWhiteSpace(ContainerEngine))
        {
            throw new ArgumentException("--container-engine must not be empty.");
        }

        if (DynamoDBLocalDirectory is not null)
        {
            _ = Processes.DynamoDBLocalProcess.FindJarDirectory(DynamoDBLocalDirectory);
        }

        if (ExitWithProcessId is <= 0)
        {
            throw new ArgumentException($"--exit-with must be a process id, not {ExitWithProcessId}.");
        }

        if (LauncherPath is not null && !File.Exists(LauncherPath))
        {
            throw new ArgumentException($"--launcher '{LauncherPath}' does not exist.");
        }

        foreach (var (image, path) in ImageLaunchers)
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"--image-launcher {image}='{path}': the file does not exist.");
            }
        }
    }
}
