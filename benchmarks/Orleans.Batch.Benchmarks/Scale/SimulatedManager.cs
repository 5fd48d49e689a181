using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Configuration;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>
/// The manager's membership traffic for simulated silos, with our real code: it renews its lease every orphan
/// timeout/4, its monitor reads the table every <see cref="MembershipScale.ManagerMonitor"/>, and its client's
/// gateway list is refreshed every <see cref="MembershipScale.GatewayListRefresh"/>.
/// </summary>
internal sealed class SimulatedManager : IAsyncDisposable
{
    private readonly string _clusterId;
    private readonly DynamoDBManagerLeaseStore _leases;
    private readonly DynamoDBMembershipTable _table;
    private readonly DynamoDBGatewayListProvider _gateways;
    private readonly MembershipScale _scale;
    private readonly TimeSpan _orphanTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _renewals;

    public SimulatedManager(string clusterId, IAmazonDynamoDB client, DynamoDBMembershipOptions options, int silos, TimeSpan orphanTimeout, ILoggerFactory loggerFactory)
    {
        _clusterId = clusterId;
        _orphanTimeout = orphanTimeout;
        _scale = MembershipScale.For(silos);
        _leases = new DynamoDBManagerLeaseStore(client, options, TimeProvider.System);
        var cluster = MsOptions.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "orleans-batch" });
        _table = new DynamoDBMembershipTable(MsOptions.Create(options), cluster, loggerFactory, TimeProvider.System, client);
        _gateways = new DynamoDBGatewayListProvider(MsOptions.Create(options), cluster, MsOptions.Create(new GatewayOptions()), loggerFactory, TimeProvider.System, client);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RenewAsync(cancellationToken);
        _loops.Add(PeriodicCall.Start(ManagerLeaseOptions.RenewalPeriodFor(_orphanTimeout), RenewAsync, randomStart: false, _stop.Token));
        _loops.Add(PeriodicCall.Start(_scale.ManagerMonitor, token => _table.ReadAllAsync(token), randomStart: false, _stop.Token));
        _loops.Add(PeriodicCall.Start(_scale.GatewayListRefresh, token => _gateways.GetGatewaysAsync(token), randomStart: false, _stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _table.Dispose();
        _gateways.Dispose();
    }

    private Task RenewAsync(CancellationToken cancellationToken) =>
        _leases.WriteAsync(_clusterId, new ManagerLease(Interlocked.Increment(ref _renewals), DateTimeOffset.UtcNow, _orphanTimeout, "scale scenario"), cancellationToken);
}
