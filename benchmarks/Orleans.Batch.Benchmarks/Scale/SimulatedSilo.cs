using System.Net;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Silo;
using Orleans.Configuration;
using Orleans.Runtime;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>
/// A lightweight stand-in for one silo: it drives our real DynamoDB membership code (table, turn lock, lease store)
/// with the calls an Orleans silo of ours makes, in the same order and at the same periods (see
/// <see cref="MembershipScale"/>): the lease check before joining, a first read, the Joining and Active transitions
/// (each in its turn: read the table, compare-and-swap the row), then table refreshes, I-am-alive writes and lease
/// checks, and at the end the ShuttingDown and Dead transitions. No Orleans runtime, no sockets: a thousand fit in
/// one process. The scale scenario checks its request mix against real silos.
/// </summary>
internal sealed class SimulatedSilo : IAsyncDisposable
{
    private const int MaxWriteAttempts = 50;

    private readonly DynamoDBMembershipTable _table;
    private readonly DynamoDBManagerLeaseStore _leases;
    private readonly DynamoDBMembershipTurnLock _turns;
    private readonly MembershipTurnContext _held = new();
    private readonly MembershipScale _scale;
    private readonly string _clusterId;
    private readonly TimeSpan _leaseCheck;
    private readonly ILogger _logger;
    private readonly MembershipEntry _entry;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public SimulatedSilo(int index, string clusterId, IAmazonDynamoDB client, DynamoDBMembershipOptions options, MembershipScale scale, TimeSpan orphanTimeout, ILoggerFactory loggerFactory)
    {
        _clusterId = clusterId;
        _scale = scale;
        _leaseCheck = scale.LeaseCheck(orphanTimeout);
        _logger = loggerFactory.CreateLogger<SimulatedSilo>();
        _table = new DynamoDBMembershipTable(MsOptions.Create(options), MsOptions.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "orleans-batch" }), loggerFactory, TimeProvider.System, client, _held);
        _leases = new DynamoDBManagerLeaseStore(client, options, TimeProvider.System);
        _turns = new DynamoDBMembershipTurnLock(client, options, TimeProvider.System);

        // A row as large as a real silo's: an EC2-style host name, a job-id name, both ports.
        var address = new IPAddress([10, (byte)(index >> 16), (byte)(index >> 8), (byte)index]);
        var now = DateTime.UtcNow;
        _entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(address, 11111, 155_000_000 + index),
            SiloName = $"{Guid.NewGuid()}:{index}",
            HostName = $"ip-10-{address.GetAddressBytes()[1]}-{address.GetAddressBytes()[2]}-{address.GetAddressBytes()[3]}.ec2.internal",
            RoleName = "Orleans.Batch.Launcher",
            ProxyPort = 30000,
            Status = SiloStatus.Joining,
            StartTime = now,
            IAmAliveTime = now,
            SuspectTimes = [],
        };
    }

    /// <summary>When the silo became Active (from the scenario's clock), once it has.</summary>
    public TimeSpan? ActiveAfter { get; private set; }

    /// <summary>Joins the cluster (Joining, then Active) and starts the periodic calls.</summary>
    public async Task StartAsync(long startedAt, CancellationToken cancellationToken)
    {
        // AbandonedLeaseGate, then the membership service's first read.
        await _leases.ReadAsync(_clusterId, cancellationToken);
        await _table.ReadAllAsync(cancellationToken);
        await TransitionAsync(SiloStatus.Joining, "join", cancellationToken);
        await TransitionAsync(SiloStatus.Active, "become active", cancellationToken);
        ActiveAfter = System.Diagnostics.Stopwatch.GetElapsedTime(startedAt);

        _loops.Add(PeriodicCall.Start(_scale.TableRefresh, token => _table.ReadAllAsync(token), randomStart: true, _stop.Token));
        _loops.Add(PeriodicCall.Start(_scale.IAmAlivePublish, token =>
        {
            _entry.IAmAliveTime = DateTime.UtcNow;
            return _table.UpdateIAmAliveAsync(_entry, token);
        }, randomStart: true, _stop.Token));
        _loops.Add(PeriodicCall.Start(_leaseCheck, token => _leases.ReadAsync(_clusterId, token), randomStart: true, _stop.Token));
    }

    /// <summary>Stops the periodic calls and leaves the cluster (ShuttingDown, then Dead).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        if (ActiveAfter is not null)
        {
            await TransitionAsync(SiloStatus.ShuttingDown, "shut down", cancellationToken);
            await TransitionAsync(SiloStatus.Dead, "leave", cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _table.Dispose();
    }

    // One transition as MembershipTableManager writes it, in the cluster's turn: read, then compare-and-swap.
    private async Task TransitionAsync(SiloStatus status, string transition, CancellationToken cancellationToken)
    {
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        var turn = await MembershipTransitionGate.WaitForTurnAsync(_turns, _clusterId, transition, token => _table.ReadAllAsync(token), _logger);
        var held = System.Diagnostics.Stopwatch.GetTimestamp();
        if (turn is not null)
        {
            // As the silo's gate does: the table writes this silo's own transition in its turn.
            _held.Hold(_clusterId, _entry.SiloAddress.ToParsableString(), turn);
        }

        Timings?.Add(TransitionTimings.Phase.Wait, asked, held);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var readFrom = System.Diagnostics.Stopwatch.GetTimestamp();
                var table = await _table.ReadAllAsync(cancellationToken);
                var writeFrom = System.Diagnostics.Stopwatch.GetTimestamp();
                Timings?.Add(TransitionTimings.Phase.Read, readFrom, writeFrom);
                var mine = table.Members.FirstOrDefault(m => m.Item1.SiloAddress.Equals(_entry.SiloAddress));
                _entry.Status = status;
                _entry.IAmAliveTime = DateTime.UtcNow;
                var written = mine is null
                    ? await _table.InsertRowAsync(_entry, table.Version.Next(), cancellationToken)
                    : await _table.UpdateRowAsync(_entry, mine.Item2, table.Version.Next(), cancellationToken);
                Timings?.Add(TransitionTimings.Phase.Write, writeFrom, System.Diagnostics.Stopwatch.GetTimestamp());
                if (written)
                {
                    return;
                }

                if (attempt == MaxWriteAttempts)
                {
                    throw new InvalidOperationException($"silo {_entry.SiloName} could not {transition} after {MaxWriteAttempts} attempts");
                }

                // Orleans waits before retrying a transition that lost a race.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 500)), cancellationToken);
            }
        }
        finally
        {
            // As the gate does: give back the turn held now (the table may have renewed the one taken).
            if (_held.Take() is { } current)
            {
                await current.DisposeAsync();
            }

            Timings?.Add(TransitionTimings.Phase.Hold, held, System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Where the silos' transitions spend their time, when the scenario asks.</summary>
    public TransitionTimings? Timings { get; init; }
}
