using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Runtime;

namespace Orleans.Batch.Tests.Hosting.Cluster.Elasticity;

/// <summary>How the manager counts the attempts Batch makes on its own against the cluster's replacement budget.</summary>
public sealed class HealthMonitorReplacementTests
{
    [Fact]
    public async Task Two_retries_seen_in_one_look_count_twice_and_the_one_beyond_the_budget_is_stopped()
    {
        var backend = new RetriedBackend(new SiloBackendStatus(0, SiloBackendState.Running) { Attempt = 3, PreviousAttemptReason = "Host EC2 (instance i-1) terminated." });
        var silo = new ClusterSilo(0, "job:0", SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1));
        var budget = new SiloReplacementBudget(1);
        await using var monitor = new ClusterHealthMonitor(
            backend, new EmptyMembership(), [silo], minSilos: 1, budget, TimeSpan.FromMinutes(1), lease: null, TimeSpan.FromSeconds(1),
            new NullObserver(), TimeProvider.System, NullLogger.Instance);

        await monitor.CheckAsync(TestContext.Current.CancellationToken);

        budget.Used.ShouldBe(1, "attempt 2 took the only replacement");
        backend.Stopped.ShouldBe([0], "attempt 3 is beyond the budget");
        monitor.Lost.ShouldHaveSingleItem().Reason.ShouldContain("not replaced: the replacement budget (--replace-lost 1) is spent");
    }

    private sealed class RetriedBackend(SiloBackendStatus status) : ISiloBackend
    {
        public List<int> Stopped { get; } = [];

        public string Name => "fake";

        public Task<IReadOnlyList<LaunchedSilo>> LaunchAsync(SiloLaunchSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<SiloBackendStatus>> DescribeAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SiloBackendStatus>>([status]);

        public Task StopSilosAsync(IReadOnlyCollection<int> indexes, CancellationToken cancellationToken)
        {
            Stopped.AddRange(indexes);
            return Task.CompletedTask;
        }

        public Task<TeardownOutcome> TerminateAllAsync(TeardownRequest request, CancellationToken force) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class EmptyMembership : IClusterMembership
    {
        public string Description => "empty";

        public MembershipKind Kind => MembershipKind.Local;

        public IManagerLeaseStore Leases => throw new NotSupportedException();

        public SiloSettings ConfigureSilos(SiloSettings settings) => settings;

        public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void ConfigureClient(IClientBuilder client)
        {
        }

        public Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new MembershipTableData(new TableVersion(0, "0")));

        public Task DeleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NullObserver : IClusterLaunchObserver;
}
