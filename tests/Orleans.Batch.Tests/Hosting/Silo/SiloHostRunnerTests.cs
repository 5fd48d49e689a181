using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    public void Free_ports_are_distinct_and_bindable()
    {
        var ports = FreePortFinder.FindFreePorts(IPAddress.Loopback, 2);

        ports.Distinct().Count().ShouldBe(2);
        foreach (var port in ports)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
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
