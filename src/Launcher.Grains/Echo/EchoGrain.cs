using Orleans.Placement;

namespace Orleans.Batch.Launcher.Grains.Echo;

/// <summary>Returns its argument. Placed at random, so a set of echo grains spreads over every silo.</summary>
[RandomPlacement]
public sealed class EchoGrain : Grain, IEchoGrain
{
    /// <inheritdoc />
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}
