using Orleans.Batch.Grains.Placement;
using Xunit;
using Orleans.Hosting;
using Orleans.TestingHost;
using Contoso.Compute.Grains;

namespace Contoso.Compute.Tests;

/// <summary>The grains on an in-process Orleans test cluster of two silos: fast checks before a cluster runs anywhere.</summary>
public sealed class GrainTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<PlacementConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_tally_adds_up()
    {
        var tally = _cluster.Client.GetGrain<ITallyGrain>("test");

        await tally.AddAsync(2);
        await tally.AddAsync(3);

        Assert.Equal(5, await tally.GetAsync());
    }

    [Fact]
    public async Task Hello_runs_on_the_silo_its_key_names()
    {
        foreach (var silo in _cluster.Silos)
        {
            var greeting = await _cluster.Client.GetGrain<IHelloGrain>(silo.Name).SayHelloAsync();

            Assert.StartsWith($"hello from {silo.Name} ", greeting, StringComparison.Ordinal);
        }
    }

    /// <summary>Every Orleans.Batch silo has per-silo placement; a test cluster's silos need it added.</summary>
    private sealed class PlacementConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddSiloTargetedPlacement();
    }
}
