using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Runtime;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>
/// Ours: the cluster the Launcher's manager role starts, built the same way ManagerRunner builds it
/// (LocalProcessBackend running the Launcher executable's <c>silo</c> role, LocalClusterMembership in
/// <c>/tmp/orleans-batch/&lt;cluster&gt;</c> or, for the DynamoDB scenario, DynamoDBClusterMembership,
/// ClusterLauncher with its default options).
/// </summary>
internal sealed class OursCluster : IBenchCluster
{
    private readonly BatchCluster _cluster;
    private readonly RecordingBackend _backend;
    private readonly RecordingMembership _membership;
    private readonly IClusterMembership _innerMembership;
    private readonly OursMembership _table;
    private readonly string _clusterId;
    private readonly ConcurrentQueue<string> _errors;
    private TeardownResult? _teardown;

    private OursCluster(
        BatchCluster cluster,
        RecordingBackend backend,
        RecordingMembership membership,
        IClusterMembership innerMembership,
        OursMembership table,
        string runDirectory,
        IReadOnlyList<BenchSilo> silos,
        ConcurrentQueue<string> errors,
        Clock clock,
        Timeline timeline)
    {
        _cluster = cluster;
        _backend = backend;
        _membership = membership;
        _innerMembership = innerMembership;
        _table = table;
        RunDirectory = runDirectory;
        _clusterId = cluster.ClusterId;
        _errors = errors;
        Silos = silos;
        LaunchClock = clock;
        LaunchTimeline = timeline;
    }

    public Side Side => Side.Ours;

    public IClusterClient Client => _cluster.Client;

    public IReadOnlyList<BenchSilo> Silos { get; }

    public TimeSpan LaunchDuration { get; private set; }

    public Timeline LaunchTimeline { get; }

    public Clock LaunchClock { get; }

    public IReadOnlyCollection<string> SiloErrors => _errors;

    private bool KeepLogs { get; init; }

    /// <summary>The run directory ManagerRunner would use: silo logs and, with the file table, the membership table.</summary>
    public string RunDirectory { get; }

    /// <summary>Launches <paramref name="siloCount"/> silos and returns once the cluster is ready.</summary>
    /// <param name="siloCount">How many silos.</param>
    /// <param name="paths">Where the Launcher is.</param>
    /// <param name="loggerFactory">Logging for the manager side (warnings and up).</param>
    /// <param name="siloEnvironment">Extra silo environment (diagnostics only; empty when measuring).</param>
    /// <param name="keepLogs">Keep the run directory (silo logs) after the cluster is gone.</param>
    /// <param name="table">The membership table; null for the file table.</param>
    /// <param name="cancellationToken">Aborts the launch.</param>
    /// <param name="tls">Whether the cluster uses cluster TLS.</param>
    /// <param name="dashboard">Whether the silos publish the dashboard's statistics.</param>
    public static async Task<OursCluster> LaunchAsync(
        int siloCount,
        HarnessPaths paths,
        ILoggerFactory loggerFactory,
        IReadOnlyDictionary<string, string>? siloEnvironment,
        bool keepLogs,
        OursMembership? table,
        CancellationToken cancellationToken,
        bool tls = false,
        bool dashboard = false)
    {
        table ??= OursMembership.File;
        var clock = Clock.StartNew();
        var clusterId = ClusterIdGenerator.NewClusterId(TimeProvider.System);
        var runDirectory = Orleans.Batch.Hosting.LocalState.LocalRunDirectory.Create(clusterId).Path;
        var errors = new ConcurrentQueue<string>();
        var local = new LocalProcessBackend(
            new LocalProcessBackendOptions
            {
                FileName = paths.Launcher,
                Arguments = ["silo"],
                LogDirectory = Path.Combine(runDirectory, "logs"),
                OnOutput = line => errors.Enqueue(line.Text),
                ForwardLevel = LogLevel.Error,
                Environment = siloEnvironment ?? new Dictionary<string, string>(),
            },
            loggerFactory.CreateLogger<LocalProcessBackend>());
        var backend = new RecordingBackend(local, clock);
        var innerMembership = table.Create(clusterId, runDirectory, loggerFactory);
        var membership = new RecordingMembership(innerMembership);
        var observer = new LaunchObserver(clock);
        var launcher = new ClusterLauncher(
            backend,
            membership,
            new ClusterLaunchOptions { ClusterId = clusterId, MaxSilos = siloCount, LaunchTimeout = TimeSpan.FromMinutes(3), Tls = tls, Dashboard = dashboard },
            observer,
            loggerFactory,
            TimeProvider.System,
            ClientLogging.Configure);

        BatchCluster cluster;
        try
        {
            cluster = await launcher.LaunchAsync(cancellationToken);
        }
        catch
        {
            await backend.DisposeAsync();
            (innerMembership as IDisposable)?.Dispose();
            if (!keepLogs)
            {
                TryDelete(runDirectory);
            }

            throw;
        }

        var timeline = backend.LaunchTimeline;
        if (observer.AllActive is { } allActive)
        {
            timeline.Mark("manager saw all silos active in the table", allActive);
        }

        timeline.Mark("LaunchAsync returned (client connected)", clock.Elapsed);
        var silos = backend.Launched
            .Select(s => new BenchSilo(s.Index, s.Name, int.Parse(s.BackendId, CultureInfo.InvariantCulture), local.LogPathFor(s.Index)))
            .ToList();
        var result = new OursCluster(cluster, backend, membership, innerMembership, table, runDirectory, silos, errors, clock, timeline) { KeepLogs = keepLogs };
        try
        {
            await Readiness.WaitForActiveSilosAsync(cluster.Client, siloCount, TimeSpan.FromMinutes(1), cancellationToken);
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }

        result.LaunchDuration = clock.Elapsed;
        timeline.Mark("GetHosts lists every silo (ready)", result.LaunchDuration);
        return result;
    }

    public async Task<TeardownResult> TeardownAsync()
    {
        if (_teardown is not null)
        {
            return _teardown;
        }

        var clock = Clock.StartNew();
        _backend.StartTeardownClock(clock);
        _membership.StartTeardownClock(clock);
        await using var watch = new ProcessExitWatch(Silos.Select(s => s.ProcessId).ToList(), clock);

        var report = await _cluster.ShutdownAsync("the benchmark workload finished");
        var timeline = new Timeline();
        timeline.Mark("ShutdownAsync returned", clock.Elapsed);
        var lastGone = await watch.WaitAllGoneAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("Silo processes of ours are still running 30 s after ShutdownAsync returned.");
        timeline.Mark("last silo process gone", lastGone);

        while (!await _table.RowsGoneAsync(_clusterId, RunDirectory, CancellationToken.None))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"The cluster's rows are still in the membership table ({_innerMembership.Description}) after tear-down.");
            }

            await Task.Delay(5);
        }

        var duration = clock.Elapsed;
        foreach (var mark in _backend.TeardownTimeline.Marks.Concat(_membership.TeardownTimeline.Marks))
        {
            timeline.Mark(mark.Key, mark.Value);
        }

        if (!report.Succeeded)
        {
            throw new InvalidOperationException($"Tear-down reported errors: {string.Join("; ", report.Errors)}");
        }

        _teardown = new TeardownResult(duration, timeline, report.Backend?.Killed ?? 0, clock);
        await _backend.DisposeAsync();
        return _teardown;
    }

    public async Task<bool?> TableShowsDeadAsync(BenchSilo silo, CancellationToken cancellationToken)
    {
        var table = await _membership.ReadAsync(cancellationToken);
        return table.Members.Any(m => m.Item1.SiloName == silo.Name && m.Item1.Status == SiloStatus.Dead);
    }

    public async ValueTask DisposeAsync()
    {
        if (_teardown is null)
        {
            // An aborted scenario: release everything (ShutdownAsync runs at most once), ignoring errors.
            try
            {
                await _cluster.ShutdownAsync("the benchmark scenario was aborted");
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                await Console.Error.WriteLineAsync($"warning: tear-down of an aborted run failed: {exception.Message}");
            }

            await _backend.DisposeAsync();
        }

        (_innerMembership as IDisposable)?.Dispose();
        if (!KeepLogs)
        {
            TryDelete(RunDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
