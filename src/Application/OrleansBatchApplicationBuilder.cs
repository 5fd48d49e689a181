using Microsoft.Extensions.Hosting;
using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Manager;
using Orleans.Batch.Application.SiloRole;
using Orleans.Batch.Application.Workloads;
using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application;

/// <summary>
/// Configures an Orleans.Batch application: the silos' own Orleans configuration (grain storage, streams,
/// serializers), the manager's client, and the workloads the manager can run; <see cref="RunAsync()"/> then parses the
/// command line and plays the role it names.
/// </summary>
public sealed class OrleansBatchApplicationBuilder
{
    private readonly List<IClusterWorkload> _workloads = [];
    private readonly List<Action<ISiloBuilder>> _silo = [];
    private readonly List<Action<HostApplicationBuilder>> _siloHost = [];
    private readonly List<Action<IClientBuilder>> _client = [];

    internal OrleansBatchApplicationBuilder(string[] args) => Args = args;

    /// <summary>The program's arguments.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>
    /// Adds Orleans configuration every silo gets (after Orleans.Batch's own: cluster identity, membership, address,
    /// ports, watchdogs, per-silo placement). Your grain storage, streams and serializers go here.
    /// </summary>
    /// <param name="configure">Configures the silo.</param>
    /// <returns>This builder.</returns>
    public OrleansBatchApplicationBuilder ConfigureSilo(Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _silo.Add(configure);
        return this;
    }

    /// <summary>Adds configuration of the silo process's host: its services, logging and configuration sources.</summary>
    /// <param name="configure">Configures the host builder before the silo is added.</param>
    /// <returns>This builder.</returns>
    public OrleansBatchApplicationBuilder ConfigureSiloHost(Action<HostApplicationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _siloHost.Add(configure);
        return this;
    }

    /// <summary>Adds configuration of the manager's Orleans client (after Orleans.Batch's own: cluster identity and gateways).</summary>
    /// <param name="configure">Configures the client.</param>
    /// <returns>This builder.</returns>
    public OrleansBatchApplicationBuilder ConfigureClient(Action<IClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _client.Add(configure);
        return this;
    }

    /// <summary>Adds a workload that <c>--workload NAME</c> selects; the first one added is the default.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>This builder.</returns>
    public OrleansBatchApplicationBuilder AddWorkload(IClusterWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (_workloads.Any(w => string.Equals(w.Name, workload.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"A workload named '{workload.Name}' is already added.", nameof(workload));
        }

        _workloads.Add(workload);
        return this;
    }

    /// <summary>Adds a workload from a delegate; it takes no <c>--workload-option</c>.</summary>
    /// <param name="name">The name <c>--workload</c> selects it by.</param>
    /// <param name="description">One line for <c>--help</c>.</param>
    /// <param name="run">The manager's code: runs against the launched cluster.</param>
    /// <returns>This builder.</returns>
    public OrleansBatchApplicationBuilder AddWorkload(string name, string description, Func<BatchCluster, WorkloadContext, CancellationToken, Task> run) =>
        AddWorkload(new DelegateWorkload(name, description, run));

    /// <summary>Runs the application with the workloads added so far.</summary>
    /// <returns>The process exit code: 0 success, 1 failure, 2 bad input, 3 tear-down gave up, 130/143 stopped by a signal.</returns>
    public Task<int> RunAsync()
    {
        if (_workloads.Count == 0)
        {
            throw new InvalidOperationException("Add a workload (AddWorkload) or pass one to RunAsync: the manager needs something to run.");
        }

        return RunCoreAsync();
    }

    /// <summary>Runs the application with <paramref name="workload"/> as its default workload (named <c>main</c>).</summary>
    /// <param name="workload">The manager's code: runs against the launched cluster.</param>
    /// <returns>The process exit code (see <see cref="RunAsync()"/>).</returns>
    public Task<int> RunAsync(Func<BatchCluster, WorkloadContext, CancellationToken, Task> workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _workloads.Insert(0, new DelegateWorkload("main", "the application's workload", workload));
        return RunCoreAsync();
    }

    private async Task<int> RunCoreAsync()
    {
        var catalog = new WorkloadCatalog([.. _workloads]);
        var root = OrleansBatchCommandLine.Build(
            catalog,
            (settings, _) => ManagerRunner.RunAsync(settings, catalog, Combine(_client)),
            (siloArgs, _) => SiloRoleRunner.RunAsync(siloArgs, Combine(_siloHost), Combine(_silo)));

        var parse = root.Parse([.. Args]);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"error: {OrleansBatchCommandLine.DescribeError(parse)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Both roles handle SIGINT/SIGTERM themselves (the manager tears down; the silo host stops gracefully).
        return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    private static Action<T>? Combine<T>(List<Action<T>> actions) =>
        actions.Count == 0 ? null : target => actions.ForEach(action => action(target));

    private sealed class DelegateWorkload(string name, string description, Func<BatchCluster, WorkloadContext, CancellationToken, Task> run) : IClusterWorkload
    {
        public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A workload needs a name.", nameof(name)) : name;

        public string Description => description;

        public Task RunAsync(BatchCluster cluster, WorkloadContext context, CancellationToken cancellationToken) => run(cluster, context, cancellationToken);
    }
}
