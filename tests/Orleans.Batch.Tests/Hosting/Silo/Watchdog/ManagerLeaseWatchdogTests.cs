using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Silo.Watchdog;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Orleans.Batch.Tests.Hosting.Silo.Watchdog;

/// <summary>A silo stops itself once its manager stops renewing the lease for longer than the orphan timeout.</summary>
public sealed class ManagerLeaseWatchdogTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly LocalMembershipOptions _storage = new() { Directory = Directory.CreateTempSubdirectory("orleans-batch-tests-").FullName };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RecordingLifetime _lifetime = new();
    private readonly FileManagerLeaseStore _store;

    public ManagerLeaseWatchdogTests() => _store = new FileManagerLeaseStore(_storage);

    public void Dispose()
    {
        if (Directory.Exists(_storage.Directory))
        {
            Directory.Delete(_storage.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task Keeps_running_while_the_manager_renews()
    {
        using var watchdog = Create(Timeout);
        await watchdog.StartAsync(TestContext.Current.CancellationToken);

        for (var renewal = 1; renewal <= 12; renewal++)
        {
            await _store.WriteAsync("c1", new ManagerLease(renewal, _time.GetUtcNow(), Timeout, "test"), TestContext.Current.CancellationToken);
            await AdvanceAsync(TimeSpan.FromSeconds(15));
        }

        _lifetime.Stopped.ShouldBeFalse();
        await watchdog.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Stops_the_silo_once_renewals_stop_for_longer_than_the_timeout()
    {
        await _store.WriteAsync("c1", new ManagerLease(1, _time.GetUtcNow(), Timeout, "test"), TestContext.Current.CancellationToken);
        using var watchdog = Create(Timeout);
        await watchdog.StartAsync(TestContext.Current.CancellationToken);
        await AdvanceAsync(TimeSpan.FromSeconds(10));

        // The manager dies: the counter stays at 1. Its clock said "now", but only this silo's clock counts.
        await AdvanceAsync(TimeSpan.FromSeconds(45));
        _lifetime.Stopped.ShouldBeFalse("stopped before the timeout");
        await AdvanceAsync(TimeSpan.FromSeconds(40));
        _lifetime.Stopped.ShouldBeTrue("still running 85 s after the last renewal");
    }

    [Fact]
    public async Task A_lease_that_never_appears_counts_as_a_vanished_manager()
    {
        using var watchdog = Create(Timeout);
        await watchdog.StartAsync(TestContext.Current.CancellationToken);

        await AdvanceAsync(TimeSpan.FromSeconds(80));

        _lifetime.Stopped.ShouldBeTrue();
    }

    [Fact]
    public async Task Without_an_orphan_timeout_it_does_nothing()
    {
        using var watchdog = Create(timeout: null);
        await watchdog.StartAsync(TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromHours(2));
        await Task.Delay(50, TestContext.Current.CancellationToken);

        _lifetime.Stopped.ShouldBeFalse();
    }

    [Fact]
    public async Task The_silo_that_finds_the_lease_expired_marks_it_abandoned_and_pulls_the_kill_switch_once()
    {
        await _store.WriteAsync("c1", new ManagerLease(4, _time.GetUtcNow(), Timeout, "test"), TestContext.Current.CancellationToken);
        var killSwitch = new RecordingKillSwitch();
        using var watchdog = Create(Timeout, killSwitch);
        await watchdog.StartAsync(TestContext.Current.CancellationToken);

        await AdvanceAsync(TimeSpan.FromSeconds(10));
        await AdvanceAsync(TimeSpan.FromSeconds(90));

        // The mark and the kill switch are real file writes before the stop: give them a moment of real time.
        await Eventually.MatchesAsync(() => Task.FromResult(_lifetime.Stopped), stopped => stopped, TimeSpan.FromSeconds(5), "the silo stops");
        (await _store.ReadAsync("c1", TestContext.Current.CancellationToken))!.Abandoned.ShouldBeTrue();
        killSwitch.Clusters.ShouldBe(["c1"]);
    }

    [Fact]
    public async Task A_manager_that_renewed_after_the_silo_last_looked_keeps_its_cluster()
    {
        await _store.WriteAsync("c1", new ManagerLease(4, _time.GetUtcNow(), Timeout, "test"), TestContext.Current.CancellationToken);

        // The silo saw renewal 4; the manager has renewed since (5): the conditional mark must not win.
        await _store.WriteAsync("c1", new ManagerLease(5, _time.GetUtcNow(), Timeout, "test"), TestContext.Current.CancellationToken);
        (await _store.MarkAbandonedAsync("c1", seenRenewals: 4, TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await _store.ReadAsync("c1", TestContext.Current.CancellationToken))!.Abandoned.ShouldBeFalse();

        (await _store.MarkAbandonedAsync("c1", seenRenewals: 5, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await _store.MarkAbandonedAsync("c1", seenRenewals: 5, TestContext.Current.CancellationToken)).ShouldBeFalse("only the first silo marks it");
    }

    private ManagerLeaseWatchdog Create(TimeSpan? timeout, IClusterKillSwitch? killSwitch = null) => new(
        MsOptions.Create(new ManagerLeaseOptions { OrphanTimeout = timeout }),
        MsOptions.Create(new ClusterOptions { ClusterId = "c1", ServiceId = "s" }),
        _store,
        _lifetime,
        _time,
        NullLogger<ManagerLeaseWatchdog>.Instance,
        killSwitch);

    private sealed class RecordingKillSwitch : IClusterKillSwitch
    {
        public List<string> Clusters { get; } = [];

        public Task TerminateClusterAsync(string clusterId, CancellationToken cancellationToken)
        {
            Clusters.Add(clusterId);
            return Task.CompletedTask;
        }
    }

    // Moves fake time in steps of half the watchdog's check period, letting its timer callbacks and file reads run.
    private async Task AdvanceAsync(TimeSpan duration)
    {
        var step = ManagerLeaseOptions.CheckPeriodFor(Timeout) / 2;
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += step)
        {
            _time.Advance(step);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(50, TestContext.Current.CancellationToken);
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }
}
