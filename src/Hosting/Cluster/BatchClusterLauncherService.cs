using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>The registered <see cref="IBatchClusterLauncher"/>: one environment per launch, all released when the host stops.</summary>
internal sealed class BatchClusterLauncherService(
    IOptions<BatchClusterOptions> options,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    IServiceProvider services) : IBatchClusterLauncher, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(BatchClusterEnvironment Environment, BatchCluster? Cluster)> _launched = [];

    public async Task<BatchCluster> LaunchAsync(IClusterLaunchObserver? observer = null, CancellationToken cancellationToken = default)
    {
        observer ??= services.GetService<IClusterLaunchObserver>();
        var environment = await BatchClusterEnvironment.CreateAsync(options.Value, loggerFactory, timeProvider, observer, cancellationToken).ConfigureAwait(false);
        try
        {
            var configureClient = services.GetServices<IConfigureBatchClusterClient>().ToList();
            var launcher = environment.CreateLauncher(observer, loggerFactory, timeProvider, configureClient: client => configureClient.ForEach(c => c.Configure(client)));
            var cluster = await launcher.LaunchAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _launched.Add((environment, cluster));
            }

            foreach (var sink in services.GetServices<Internal.ILaunchedClusterSink>())
            {
                sink.OnLaunched(cluster);
            }

            return cluster;
        }
        catch
        {
            // The launcher has torn down whatever it started.
            await environment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<(BatchClusterEnvironment Environment, BatchCluster? Cluster)> launched;
        lock (_gate)
        {
            launched = [.. _launched];
            _launched.Clear();
        }

        foreach (var (environment, cluster) in launched)
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }

            await environment.DisposeAsync().ConfigureAwait(false);
        }
    }
}
