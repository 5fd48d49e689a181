namespace Contoso.Compute.Grains;

/// <summary>An ordinary grain: Orleans places it on any silo, and every caller shares the one activation.</summary>
public sealed class TallyGrain : Grain, ITallyGrain
{
    private long _total;

    /// <inheritdoc />
    public Task AddAsync(long amount)
    {
        _total += amount;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> GetAsync() => Task.FromResult(_total);
}
