using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Configuration;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>
/// The baseline: N Baseline.Silo processes (plain Orleans, UseLocalhostClustering, default timings) and a plain
/// Orleans client with static gateways. Ready means the client is connected and GetHosts lists N active silos.
/// </summary>
internal sealed class BaselineCluster : IBenchCluster
{
    /// <summary>The baseline silos' ServiceId (Baseline.Silo sets it).</summary>
    public const string ServiceId = "orleans-batch-baseline";

    /// <summary>The same grace period ours gives silos before killing them (ClusterLaunchOptions.ShutdownGracePeriod).</summary>
    private static readonly TimeSpan ShutdownGracePeriod = TimeSpan.FromSeconds(10);

    private readonly List<BaselineSiloProcess> _processes;
    private readonly ConcurrentQueue<string> _errors;
    private readonly string _runDirectory;
    private IHost? _clientHost;
    private TeardownResult? _teardown;
    private bool _keepLogs;

    private BaselineCluster(List<BaselineSiloProcess> processes, IReadOnlyList<BenchSilo> silos, ConcurrentQueue<string> errors, string runDirectory, Clock clock)
    {
        _processes = processes;
        _errors = errors;
        _runDirectory = runDirectory;
        Silos = silos;
        LaunchClock = clock;
    }

    public Side Side => Side.Baseline;

    public IClusterClient Client => _clientHost?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The client is not connected.");

    public IReadOnlyList<BenchSilo> Silos { get; }

    public TimeSpan LaunchDuration { get; private set; }

    public Timeline LaunchTimeline { get; } = new();

    public Clock LaunchClock { get; }

    public IReadOnlyCollection<string> SiloErrors => _errors;

    public static async Task<BaselineCluster> LaunchAsync(int siloCount, HarnessPaths paths, bool keepLogs, CancellationToken cancellationToken)
    {
        var clock = Clock.StartNew();
        var clusterId = "baseline-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var runDirectory = Path.Combine(Path.GetTempPath(), "orleans-batch-baseline", clusterId);
        var ports = FreePorts.Take(2 * siloCount);
        var primaryPort = ports[0];
        var errors = new ConcurrentQueue<string>();
        var processes = new List<BaselineSiloProcess>(siloCount);
        var silos = new List<BenchSilo>(siloCount);
        var cluster = new BaselineCluster(processes, silos, errors, runDirectory, clock) { _keepLogs = keepLogs };
        try
        {
            for (var index = 0; index < siloCount; index++)
            {
                var name = "baseline-" + index.ToString(CultureInfo.InvariantCulture);
                var logPath = Path.Combine(runDirectory, "logs", $"silo-{index.ToString(CultureInfo.InvariantCulture)}.log");
                string[] arguments =
                [
                    "--name", name,
                    "--silo-port", Port(ports[2 * index]),
                    "--gateway-port", Port(ports[(2 * index) + 1]),
                    "--primary-port", Port(primaryPort),
                    "--cluster-id", clusterId,
                ];
                var process = BaselineSiloProcess.Start(paths.BaselineSilo, arguments, logPath, errors);
                processes.Add(process);
                silos.Add(new BenchSilo(index, name, process.ProcessId, logPath));
            }

            cluster.LaunchTimeline.Mark("all silo processes spawned", clock.Elapsed);

            // Start the client once every silo has started, as ours connects once its table shows every silo
            // active. (A client started as soon as the gateway ports listen, which is well before the silos are
            // active, sometimes stayed stuck for 30-40 s before connecting; that measured the client, not the silos.)
            await WaitForGatewaysAsync(ports.Where((_, i) => i % 2 == 1).ToList(), processes, cancellationToken);
            cluster.LaunchTimeline.Mark("every gateway port listens", clock.Elapsed);
            await WaitForSilosStartedAsync(silos, processes, cancellationToken);
            cluster.LaunchTimeline.Mark("every silo logged 'Orleans Silo started.'", clock.Elapsed);
            var gateways = Enumerable.Range(0, siloCount).Select(i => new IPEndPoint(IPAddress.Loopback, ports[(2 * i) + 1])).ToArray();
            cluster._clientHost = await ConnectClientAsync(clusterId, gateways, processes, cancellationToken);
            cluster.LaunchTimeline.Mark("client connected", clock.Elapsed);
            await Readiness.WaitForActiveSilosAsync(cluster.Client, siloCount, TimeSpan.FromMinutes(3), cancellationToken);
            cluster.LaunchDuration = clock.Elapsed;
            cluster.LaunchTimeline.Mark("GetHosts lists every silo (ready)", cluster.LaunchDuration);
            return cluster;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var states = string.Join(", ", processes.Select((p, i) => $"silo {i} {p.Describe()}"));
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"The baseline cluster of {siloCount} did not become ready ({states}): {exception.Message}", exception);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<TeardownResult> TeardownAsync()
    {
        if (_teardown is not null)
        {
            return _teardown;
        }

        var clock = Clock.StartNew();
        var timeline = new Timeline();
        await using var watch = new ProcessExitWatch(Silos.Select(s => s.ProcessId).ToList(), clock);

        // The plain way: stop the client, then SIGTERM every silo at once (the Generic Host stops gracefully).
        if (_clientHost is { } client)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await client.StopAsync(stop.Token);
            }
            finally
            {
                client.Dispose();
                _clientHost = null;
            }
        }

        timeline.Mark("client stopped; silos asked to stop", clock.Elapsed);
        foreach (var silo in Silos)
        {
            Signals.Send(silo.ProcessId, Signals.Terminate);
        }

        var killed = 0;
        var lastGone = await watch.WaitAllGoneAsync(ShutdownGracePeriod);
        if (lastGone is null)
        {
            foreach (var process in _processes.Where(p => !p.HasExited))
            {
                process.Kill();
                killed++;
            }

            lastGone = await watch.WaitAllGoneAsync(TimeSpan.FromSeconds(10))
                ?? throw new InvalidOperationException("Baseline silo processes are still running 10 s after being killed.");
        }

        timeline.Mark("last silo process gone", lastGone.Value);
        _teardown = new TeardownResult(clock.Elapsed, timeline, killed, clock);
        return _teardown;
    }

    public Task<bool?> TableShowsDeadAsync(BenchSilo silo, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public ValueTask DisposeAsync()
    {
        _clientHost?.Dispose();
        _clientHost = null;
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            if (!_keepLogs && Directory.Exists(_runDirectory))
            {
                Directory.Delete(_runDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<IHost> ConnectClientAsync(string clusterId, IPEndPoint[] gateways, List<BaselineSiloProcess> processes, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        ClientLogging.Configure(builder.Logging);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateways);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = ServiceId;
            });

            // The silos start at the same moment as the client: retry until a gateway answers, as often as the
            // harness polls, while every silo process is still alive.
            client.UseConnectionRetryFilter(async (_, token) =>
            {
                if (processes.Any(p => p.HasExited))
                {
                    return false;
                }

                await Task.Delay(Readiness.PollInterval, token);
                return true;
            });
        });

        var host = builder.Build();
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await host.StartAsync(connect.Token);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static async Task WaitForGatewaysAsync(List<int> gatewayPorts, List<BaselineSiloProcess> processes, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        while (!gatewayPorts.All(ProcessTable.IsListening))
        {
            if (processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException("A baseline silo exited during the launch.");
            }

            await Task.Delay(Readiness.PollInterval, deadline.Token);
        }
    }

    private static async Task WaitForSilosStartedAsync(List<BenchSilo> silos, List<BaselineSiloProcess> processes, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        var started = new HashSet<int>();
        while (started.Count < silos.Count)
        {
            foreach (var silo in silos.Where(s => !started.Contains(s.Index)))
            {
                if (SiloLog.Count(silo.LogPath, SiloLog.Started) > 0)
                {
                    started.Add(silo.Index);
                }
            }

            if (started.Count == silos.Count)
            {
                return;
            }

            if (processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException("A baseline silo exited during the launch.");
            }

            await Task.Delay(Readiness.PollInterval, deadline.Token);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
