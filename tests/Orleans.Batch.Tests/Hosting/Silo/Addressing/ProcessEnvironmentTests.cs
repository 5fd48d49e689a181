namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// The collection of tests that change process environment variables: xunit runs it alone, after the parallel
/// collections, so no other test sees the changed variables.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ProcessEnvironmentTests;
