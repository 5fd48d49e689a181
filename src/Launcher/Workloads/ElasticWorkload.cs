using Orleans.Batch.Application;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Launcher.Grains.MonteCarlo;
using Orleans.Runtime;

namespace Orleans.Batch.Launcher.Workloads;

/// <summary>
/// Grows and shrinks the running cluster while work keeps flowing (Julia's <c>addprocs</c> and <c>rmprocs</c> mid-run):
/// a stream of small Monte Carlo calls on every live silo, the cluster grown by <c>grow</c> silos, every silo shown to
/// take calls, then the added silos removed gracefully. Prints each step and how many calls ran and were retried.
/// </summary>
internal sealed class ElasticWorkload : IClusterWorkload
{
    private const long SamplesPerCall = 1_000_000;

    public string Name => "elastic";

    public string Description => "grows the cluster by grow silos (default: as many as it has) and shrinks it back while calls keep running";

    public void Validate(IReadOnlyDictionary<string, string> options)
    {
        var context = new WorkloadContext(TextWriter.Null, Spectre.Console.AnsiConsole.Console, options);
        context.GetInt64("grow", 1);
        foreach (var key in options.Keys.Except(["grow"]))
        {
            throw new WorkloadOptionException($"--workload-option {Orleans.Batch.Hosting.Configuration.InputText.Quote(key)} is not an option of the {Name} workload (grow)");
        }
    }

    public async Task RunAsync(BatchCluster cluster, WorkloadContext context, CancellationToken cancellationToken)
    {
        var output = context.Output;
        var start = cluster.LiveSilos.Count;
        var grow = (int)Math.Min(context.GetInt64("grow", start), ClusterLaunchOptions.MaxSiloCount);
        await output.WriteLineAsync($"elastic: {start} silos ({Names(cluster.LiveSilos)})").ConfigureAwait(false);

        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = new CallStream(cluster);
        var running = load.RunAsync(stopLoad.Token);
        try
        {
            var added = await cluster.AddSilosAsync(grow, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"elastic: grew to {cluster.LiveSilos.Count} silos (added {Names(added)})").ConfigureAwait(false);

            // Every silo, old and new, takes calls before the cluster shrinks.
            await load.WaitUntilEachAnsweredAsync(cluster.LiveSilos, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"elastic: every one of the {cluster.LiveSilos.Count} silos answered").ConfigureAwait(false);

            var removed = await cluster.RemoveSilosAsync(added, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"elastic: shrank to {cluster.LiveSilos.Count} silos (removed {Names(removed)})").ConfigureAwait(false);
            await load.WaitUntilEachAnsweredAsync(cluster.LiveSilos, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopLoad.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
        }

        await output.WriteLineAsync($"elastic: {load.Completed} calls ran on {load.SilosUsed} silos while the cluster changed; {load.Retried} were retried on another silo after theirs left; none was lost").ConfigureAwait(false);
    }

    private static string Names(IEnumerable<ClusterSilo> silos) => string.Join(", ", silos.Select(s => s.Name));

    /// <summary>Small calls on every live silo, one at a time per silo; a call whose silo left is run again on another.</summary>
    private sealed class CallStream(BatchCluster cluster)
    {
        private readonly Dictionary<string, int> _answeredBy = new(StringComparer.Ordinal);
        private int _completed;
        private int _retried;

        public int Completed => Volatile.Read(ref _completed);

        public int Retried => Volatile.Read(ref _retried);

        public int SilosUsed
        {
            get
            {
                lock (_answeredBy)
                {
                    return _answeredBy.Count;
                }
            }
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var chunk = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                var calls = cluster.LiveSilos.Select(silo => CallAsync(silo, chunk++, cancellationToken)).ToList();
                try
                {
                    await Task.WhenAll(calls).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        public async Task WaitUntilEachAnsweredAsync(IReadOnlyList<ClusterSilo> silos, CancellationToken cancellationToken)
        {
            var since = silos.ToDictionary(s => s.Name, Answers, StringComparer.Ordinal);
            while (silos.Any(s => Answers(s) <= since[s.Name]))
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        private int Answers(ClusterSilo silo)
        {
            lock (_answeredBy)
            {
                return _answeredBy.GetValueOrDefault(silo.Name);
            }
        }

        private async Task CallAsync(ClusterSilo silo, int chunk, CancellationToken cancellationToken)
        {
            var target = silo;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var result = await cluster.GetGrainOnSilo<IMonteCarloGrain>(target).SampleAsync(chunk, SamplesPerCall, chunk, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _completed);
                    lock (_answeredBy)
                    {
                        _answeredBy[result.SiloName] = _answeredBy.GetValueOrDefault(result.SiloName) + 1;
                    }

                    return;
                }
                catch (Exception exception) when (attempt < 5 && !cancellationToken.IsCancellationRequested && SiloFailure.IsSiloGone(exception))
                {
                    // Its silo left between the pick and the call: run it on one that is still there.
                    Interlocked.Increment(ref _retried);
                    var live = cluster.LiveSilos;
                    target = live.Count > 0 ? live[chunk % live.Count] : throw new InvalidOperationException("No silo is left to run calls.", exception);
                }
            }
        }
    }
}
