namespace Orleans.Batch.Launcher.Grains.Echo;

/// <summary>
/// The smallest useful grain call: returns its argument. The benchmarks use it to measure the cost of a grain
/// call itself (client → gateway → silo and back), with nothing computed on the way.
/// </summary>
public interface IEchoGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="value"/>.</summary>
    Task<int> EchoAsync(int value);
}
