using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Hosting.Cluster.Backends;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>
/// Passes every call to the real backend and notes what it launched and when each step began and ended: how the
/// harness sees inside <c>ClusterLauncher</c> without changing it.
/// </summary>
internal sealed class RecordingBackend(ISiloBackend inner, Clock launchClock) : ISiloBackend
{
    private Clock? _teardownClock;

    public IReadOnlyList<LaunchedSilo> Launched { get; private set; } = [];

    public Timeline LaunchTimeline { get; } = new();

    public Timeline TeardownTimeline { get; } = new();

    public string Name => inner.Name;

    /// <summary>Where tear-down marks are measured from.</summary>
    public void StartTeardownClock(Clock clock) => _teardownClock = clock;

    public async Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken)
    {
        LaunchTimeline.Mark("backend launch called", launchClock.Elapsed);
        Launched = await inner.LaunchAsync(spec, cancellationToken);
        LaunchTimeline.Mark("all silo processes spawned", launchClock.Elapsed);
        return Launched;
    }

    public Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken) => inner.DescribeAsync(cancellationToken);

    public Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken) => inner.StopSilosAsync(indexes, cancellationToken);

    public async Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken cancellationToken)
    {
        if (_teardownClock is { } clock)
        {
            TeardownTimeline.Mark("client stopped; silos asked to stop", clock.Elapsed);
        }

        var outcome = await inner.TerminateAllAsync(request, cancellationToken);
        if (_teardownClock is { } after)
        {
            TeardownTimeline.Mark("backend saw every silo exit", after.Elapsed);
        }

        return outcome;
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
