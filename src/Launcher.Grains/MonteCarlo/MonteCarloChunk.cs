namespace Orleans.Batch.Launcher.Grains.MonteCarlo;

/// <summary>The result of one chunk of a Monte Carlo estimate of π.</summary>
/// <param name="Chunk">The chunk's number.</param>
/// <param name="Samples">How many points were drawn.</param>
/// <param name="Inside">How many fell inside the unit quarter circle.</param>
/// <param name="SiloName">The silo that computed it.</param>
[GenerateSerializer, Immutable]
public sealed record MonteCarloChunk(
    [property: Id(0)] int Chunk,
    [property: Id(1)] long Samples,
    [property: Id(2)] long Inside,
    [property: Id(3)] string SiloName);
