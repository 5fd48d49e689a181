using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.Silo;

namespace Orleans.Batch.Tests.Hosting.Silo;

/// <summary>Several silos may share one host: ports taken between the pick and the bind are picked again.</summary>
public sealed class SiloHostRunnerTests
{
    [Fact]
    public async Task A_host_whose_ports_were_taken_is_built_again_with_new_ports()
    {
        var attempts = 0;
        var exitCode = await SiloHostRunner.RunAsync(() =>
        {
            attempts++;
            return attempts < 3 ? new FailingHost(new SocketException((int)SocketError.AddressAlreadyInUse)) : new StoppedHost();
        }, maxAttempts: 5, TestContext.Current.CancellationToken);

        exitCode.ShouldBe(0);
        attempts.ShouldBe(3);
    }

    [Fact]
    public async Task A_real_silo_whose_gateway_port_was_taken_starts_on_new_ports()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var attempts = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        IHost? second = null;

        var run = SiloHostRunner.RunAsync(() =>
        {
            attempts++;
            var ports = FreePortFinder.FindFreePorts(IPAddress.Loopback, 2);
            var host = Host.CreateDefaultBuilder()
                .ConfigureLogging(logging => logging.ClearProviders())
                .UseOrleans(silo => silo.UseLocalhostClustering(ports[0], attempts == 1 ? takenPort : ports[1], serviceId: "runner-test", clusterId: $"runner-{attempts}"))
                .Build();
            second = attempts == 2 ? host : null;
            return host;
        }, maxAttempts: 3, stop.Token);

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (second?.Services.GetService<IHostApplicationLifetime>()?.ApplicationStarted.IsCancellationRequested != true)
        {
            run.IsCompleted.ShouldBeFalse("the runner gave up");
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the second attempt did not start");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        attempts.ShouldBe(2);
        await stop.CancelAsync();
        (await run.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken)).ShouldBe(0);
    }

    [Fact]
    public async Task Gives_up_after_the_last_attempt()
    {
        var attempts = 0;
        await Should.ThrowAsync<InvalidOperationException>(() => SiloHostRunner.RunAsync(() =>
        {
            attempts++;
            return new FailingHost(new InvalidOperationException("start failed", new SocketException((int)SocketError.AddressAlreadyInUse)));
        }, maxAttempts: 2, TestContext.Current.CancellationToken));

        attempts.ShouldBe(2);
    }

    [Fact]
    public async Task Other_start_failures_are_not_retried()
    {
        var attempts = 0;
        await Should.ThrowAsync<InvalidOperationException>(() => SiloHostRunner.RunAsync(() =>
        {
            attempts++;
            return new FailingHost(new InvalidOperationException("bad configuration"));
        }, maxAttempts: 5, TestContext.Current.CancellationToken));

        attempts.ShouldBe(1);
    }

    [Fact]
    public void Free_ports_are_distinct_bindable_and_outside_the_kernels_ephemeral_range()
    {
        var ports = FreePortFinder.FindFreePorts(IPAddress.Loopback, 2);

        // Outside the range the kernel hands out for outgoing connections, where another process could take
        // them between the pick and the bind.
        var ephemeral = FreePortFinder.EphemeralRange();
        ports.ShouldAllBe(p => p < ephemeral.Low || p > ephemeral.High);
        ports.Distinct().Count().ShouldBe(2);
        foreach (var port in ports)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
    }

    [Theory]
    [InlineData(32768, 60999, 10000, 32767)]
    [InlineData(1024, 49151, 49152, 65535)]
    [InlineData(1024, 65000, 10000, 65535)]
    public void Ports_are_picked_below_the_ephemeral_range_or_above_it_when_below_is_too_small(int low, int high, int pickLow, int pickHigh)
    {
        FreePortFinder.CandidateRange((low, high)).ShouldBe((pickLow, pickHigh));
    }

    [Fact]
    public void Address_in_use_is_recognised_through_wrapping_exceptions()
    {
        var inUse = new SocketException((int)SocketError.AddressAlreadyInUse);

        FreePortFinder.IsAddressInUse(new InvalidOperationException("x", new AggregateException(inUse))).ShouldBeTrue();
        FreePortFinder.IsAddressInUse(new SocketException((int)SocketError.ConnectionRefused)).ShouldBeFalse();
        FreePortFinder.IsAddressInUse(null).ShouldBeFalse();
    }

    // Minimal hosts: the runner's contract is "StartAsync throws, or the host runs until it stops".
    private class StoppedHost : IHost
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddSingleton<IHostApplicationLifetime, StoppedLifetime>().BuildServiceProvider();

        public IServiceProvider Services => _services;

        public virtual Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Dispose() => _services.Dispose();
    }

    private sealed class FailingHost(Exception failure) : StoppedHost
    {
        public override Task StartAsync(CancellationToken cancellationToken = default) => Task.FromException(failure);
    }

    private sealed class StoppedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => new(canceled: true);

        public CancellationToken ApplicationStopped => new(canceled: true);

        public void StopApplication()
        {
        }
    }
}
