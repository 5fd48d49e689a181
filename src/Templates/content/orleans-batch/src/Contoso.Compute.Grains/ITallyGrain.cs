namespace Contoso.Compute.Grains;

/// <summary>A counter, placed wherever Orleans chooses.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/>.</summary>
    Task AddAsync(long amount);

    /// <summary>The total so far.</summary>
    Task<long> GetAsync();
}
