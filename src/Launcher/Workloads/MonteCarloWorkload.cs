using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Orleans.Batch.Application;
using Orleans.Batch.Launcher.Grains.MonteCarlo;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Runtime;
using Spectre.Console;

namespace Orleans.Batch.Launcher.Workloads;

/// <summary>
/// Estimates π by Monte Carlo: the samples are split into chunks, the chunks are spread over every silo, and the
/// manager gathers the counts. A chunk whose silo dies is run again on another silo, so the estimate completes as
/// long as enough silos remain; each chunk has its own seed, so the result is the same wherever chunks ran.
/// </summary>
/// <remarks>Options: <c>samples</c> (default 200,000,000), <c>chunks</c> (default 8 per silo), <c>seed</c> (default 1).</remarks>
internal sealed class MonteCarloWorkload : IClusterWorkload
{
    public const string WorkloadName = "montecarlo";

    // Calls in flight per silo: enough to keep a silo's cores busy while results travel.
    private const int InFlightPerSilo = 2;

    private const long MaxSamplesPerChunk = 25_000_000;

    public string Name => WorkloadName;

    public string Description => "estimates pi from random samples spread over all silos (options: samples, chunks, seed)";

    public void Validate(IReadOnlyDictionary<string, string> options)
    {
        var context = new WorkloadContext(TextWriter.Null, AnsiConsole.Console, options);
        context.GetInt64("samples", 1);
        context.GetInt64("chunks", 1);
        context.GetInt64("seed", 1);
        foreach (var key in options.Keys.Except(["samples", "chunks", "seed"]))
        {
            throw new WorkloadOptionException($"--workload-option {Orleans.Batch.Hosting.Configuration.InputText.Quote(key)} is not an option of the {Name} workload (samples, chunks, seed)");
        }
    }

    public async Task RunAsync(BatchCluster cluster, WorkloadContext context, CancellationToken cancellationToken)
    {
        var samples = context.GetInt64("samples", 200_000_000);
        // Chunks stay short (at most MaxSamplesPerChunk) so progress is steady and a lost silo costs little.
        var chunkCount = (int)Math.Min(Math.Max(context.GetInt64("chunks", 8L * cluster.Silos.Count), (samples + MaxSamplesPerChunk - 1) / MaxSamplesPerChunk), 1_000_000);
        var seed = (int)context.GetInt64("seed", 1);
        var perChunk = samples / chunkCount;
        var remainder = samples % chunkCount;

        var pending = new Queue<int>(Enumerable.Range(0, chunkCount));
        var results = new MonteCarloChunk[chunkCount];
        // By address, not name: a replaced silo keeps its name and comes back with a new address (generation).
        var failedSilos = new HashSet<SiloAddress>();
        var losses = new ConcurrentQueue<ClusterSilo>();
        void OnLost(object? sender, ClusterSiloEventArgs e) => losses.Enqueue(e.Silo);
        var running = new Dictionary<Task<MonteCarloChunk>, (int Chunk, ClusterSilo Silo)>();
        var stopwatch = Stopwatch.StartNew();
        var completed = 0;
        var reported = -1;

        // A progress bar on a terminal; a line every 10 % in logs and CI.
        ProgressTask? bar = null;
        void Report()
        {
            if (bar is not null)
            {
                bar.Value = completed;
                return;
            }

            var percent = completed * 100 / chunkCount;
            if (percent / 10 != reported / 10 || completed == chunkCount)
            {
                reported = percent;
                context.Console.MarkupLineInterpolated($"[grey]montecarlo: {completed}/{chunkCount} chunks ({percent}%) after {stopwatch.Elapsed.TotalSeconds:0.0} s[/]");
            }
        }

        async Task RunChunksAsync()
        {
            while (completed < chunkCount)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var live = cluster.LiveSilos.Where(s => !failedSilos.Contains(s.Address)).ToList();
                if (live.Count == 0)
                {
                    throw new InvalidOperationException("No silo is left to run the remaining chunks.");
                }

                // Top every live silo up to its share of calls in flight.
                foreach (var silo in live)
                {
                    while (pending.Count > 0 && running.Values.Count(r => r.Silo.Index == silo.Index) < InFlightPerSilo)
                    {
                        var chunk = pending.Dequeue();
                        var size = perChunk + (chunk < remainder ? 1 : 0);
                        var call = cluster.GetGrainOnSilo<IMonteCarloGrain>(silo).SampleAsync(chunk, size, unchecked(seed * 7919 + chunk), cancellationToken);
                        running[call] = (chunk, silo);
                    }
                }

                // Wake at least every second to notice silos the cluster monitor has found dead: a call whose
                // target or gateway died may otherwise wait for its response timeout.
                var any = Task.WhenAny(running.Keys);
                await Task.WhenAny(any, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (!losses.IsEmpty)
                {
                    RunAgainAfterLoss(losses, running, pending, failedSilos, context);
                    continue;
                }

                if (!any.IsCompleted)
                {
                    continue;
                }

                var done = any.Result;
                var (doneChunk, doneSilo) = running[done];
                running.Remove(done);
                try
                {
                    results[doneChunk] = await done.ConfigureAwait(false);
                    completed++;
                    Report();
                }
                catch (Exception exception) when (SiloFailure.IsSiloGone(exception) && !cancellationToken.IsCancellationRequested)
                {
                    // The silo is gone (or going): run its chunk elsewhere and stop sending it work.
                    if (failedSilos.Add(doneSilo.Address))
                    {
                        context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {doneSilo} failed a call ({exception.GetType().Name}: {FirstLine(exception.Message)}); re-running its chunks on the other silos");
                    }

                    pending.Enqueue(doneChunk);
                }
            }
        }

        async Task RunWithProgressAsync()
        {
            if (context.IsInteractive)
            {
                await context.Console.Progress().AutoClear(true).StartAsync(async progress =>
                {
                    bar = progress.AddTask($"montecarlo: {chunkCount} chunks on {cluster.Silos.Count} silos", maxValue: chunkCount);
                    await RunChunksAsync().ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            else
            {
                await RunChunksAsync().ConfigureAwait(false);
            }
        }

        cluster.SiloLost += OnLost;
        try
        {
            await RunWithProgressAsync().ConfigureAwait(false);
        }
        finally
        {
            cluster.SiloLost -= OnLost;
        }

        var inside = results.Sum(r => r.Inside);
        var total = results.Sum(r => r.Samples);
        var estimate = 4.0 * inside / total;
        var output = context.Output;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Monte Carlo estimate of pi: {estimate:F8} (error {Math.Abs(estimate - Math.PI):E2}) from {total:N0} samples in {chunkCount} chunks, {stopwatch.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        foreach (var group in results.GroupBy(r => r.SiloName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {group.Key}: {group.Count()} chunks")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a silo is lost, runs again every chunk still in flight, not only those on the lost silo: the client
    /// sends each call through one of the silos' gateways, and Orleans fails a pending call when its target silo
    /// dies but not when its gateway does, so the answer to a call on a healthy silo can be lost on the way
    /// back and would otherwise be waited for until the call timeout. A chunk computed twice gives the same
    /// counts (it has its own seed); the first answer wins.
    /// </summary>
    private static void RunAgainAfterLoss(
        ConcurrentQueue<ClusterSilo> losses,
        Dictionary<Task<MonteCarloChunk>, (int Chunk, ClusterSilo Silo)> running,
        Queue<int> pending,
        HashSet<SiloAddress> failedSilos,
        WorkloadContext context)
    {
        while (losses.TryDequeue(out var lost))
        {
            if (failedSilos.Add(lost.Address))
            {
                context.Console.MarkupLineInterpolated($"[yellow]warning:[/] re-running the chunks of {lost} on the other silos");
            }
        }

        foreach (var (call, (chunk, _)) in running.OrderBy(r => r.Value.Chunk).ToList())
        {
            running.Remove(call);
            pending.Enqueue(chunk);
            _ = call.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
