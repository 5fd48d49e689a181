namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>
/// Tests that change the process's AWS_* environment variables; they run alone, after the parallel tests, so no other
/// test observes the changed environment.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment variables";
}
