namespace Orleans.Batch.Benchmarks;

/// <summary>How much to measure: the full set, or the quick one (under 5 minutes on a 2-core machine).</summary>
internal sealed record BenchmarkSettings
{
    public required bool Quick { get; init; }

    /// <summary>Repetitions of every launch scenario (each side, alternating which side goes first).</summary>
    public required int Repetitions { get; init; }

    /// <summary>The cluster sizes whose launch and tear-down are measured.</summary>
    public required IReadOnlyList<int> LaunchSizes { get; init; }

    /// <summary>The cluster size that runs the throughput workload and the failure scenario.</summary>
    public int WorkloadSize { get; init; } = 4;

    /// <summary>Repetitions of the throughput scenario (both sides side by side).</summary>
    public required int ThroughputRepetitions { get; init; }

    /// <summary>Repetitions of the failure scenario.</summary>
    public required int FailureRepetitions { get; init; }

    /// <summary>Unmeasured calls before each throughput measurement.</summary>
    public required TimeSpan ThroughputWarmup { get; init; }

    /// <summary>How long each side's load runs at each number of calls in flight, in one-second slices alternating with the other side's.</summary>
    public required TimeSpan ThroughputDuration { get; init; }

    /// <summary>The numbers of calls in flight measured.</summary>
    public IReadOnlyList<int> InFlight { get; init; } = [1, 1000];

    /// <summary>How many echo grains the throughput workload spreads its calls over.</summary>
    public int EchoGrains { get; init; } = 1000;

    /// <summary>How long a failure may take to be detected before the scenario gives up.</summary>
    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The silo counts of the AWS Batch control-plane scenario.</summary>
    public IReadOnlyList<int> ControlPlaneSizes { get; init; } = [100, 1000, 10_000];

    /// <summary>Repetitions of the control-plane scenario at each silo count.</summary>
    public required int ControlPlaneRepetitions { get; init; }

    /// <summary>
    /// The simulated Batch emulator's delay in each of SUBMITTED, PENDING, RUNNABLE and STARTING (its default):
    /// a silo job reaches RUNNING 4 delays after the submit at the earliest.
    /// </summary>
    public TimeSpan ControlPlaneTransitionDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the control-plane scenario polls, like <c>ClusterLaunchOptions.PollInterval</c>'s default.</summary>
    public TimeSpan ControlPlanePollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Repetitions of the DynamoDB scenario (each: one cluster with DynamoDB membership, one with the file table).</summary>
    public required int DynamoDBRepetitions { get; init; }

    /// <summary>How long the DynamoDB requests of an idle cluster are counted.</summary>
    public required TimeSpan DynamoDBIdleWindow { get; init; }

    /// <summary>The sizes of the scale scenario's clusters of real silo processes.</summary>
    public IReadOnlyList<int> ScaleRealSizes { get; init; } = [4, 16, 32];

    /// <summary>The sizes of the scale scenario's clusters of simulated silos (the first ones also run as real silos, to check the simulation).</summary>
    public IReadOnlyList<int> ScaleSimulatedSizes { get; init; } = [16, 32, 100, 1000];

    /// <summary>How long the scale scenario's silos may take to join before it gives up on a size.</summary>
    public TimeSpan ScaleJoinLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The scenario names <c>--only</c> accepts.</summary>
    public static readonly IReadOnlySet<string> ScenarioNames = new HashSet<string>(["launch", "throughput", "failure", "diagnostics", "controlplane", "dynamodb", "container", "tls", "dashboard", "scale"], StringComparer.Ordinal);

    /// <summary>The scenarios to run; null for all.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>True when <paramref name="scenario"/> is to run.</summary>
    public bool Runs(string scenario) => Only is null ? scenario != "scale" : Only.Contains(scenario);

    /// <summary>Whether to keep the silo logs of every cluster (under /tmp) instead of deleting them.</summary>
    public bool KeepLogs { get; init; }

    /// <summary>Whether to run the unmeasured diagnostic clusters (membership write conflicts of ours).</summary>
    public bool Diagnostics { get; init; } = true;

    /// <summary>Rounds of the diagnostic (three clusters each).</summary>
    public int DiagnosticRepetitions { get; init; } = 3;

    public static BenchmarkSettings Full { get; } = new()
    {
        Quick = false,
        Repetitions = 5,
        LaunchSizes = [1, 4, 8],
        ThroughputRepetitions = 5,
        FailureRepetitions = 5,
        ThroughputWarmup = TimeSpan.FromSeconds(2),
        ThroughputDuration = TimeSpan.FromSeconds(10),
        ControlPlaneRepetitions = 5,
        DynamoDBRepetitions = 5,
        DynamoDBIdleWindow = TimeSpan.FromSeconds(60),
    };

    public static BenchmarkSettings QuickSet { get; } = new()
    {
        Quick = true,
        Repetitions = 3,
        LaunchSizes = [1, 4],
        ThroughputRepetitions = 2,
        FailureRepetitions = 2,
        ThroughputWarmup = TimeSpan.FromSeconds(1),
        ThroughputDuration = TimeSpan.FromSeconds(3),
        Diagnostics = false,
        ControlPlaneRepetitions = 3,
        DynamoDBRepetitions = 2,
        DynamoDBIdleWindow = TimeSpan.FromSeconds(20),
        ScaleRealSizes = [4, 16],
        ScaleSimulatedSizes = [16, 100],
    };
}
