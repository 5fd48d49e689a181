namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// Tests that start clusters of real processes. They run one at a time: the machine has two cores, and
/// timings (launch, failure detection, tear-down) mean little when clusters compete for them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Real processes";
}
