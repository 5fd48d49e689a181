namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Per-submission overrides of the job definition's container (model shape <c>ContainerOverrides</c>).</summary>
internal sealed class ContainerOverrides
{
    /// <summary>Replaces the job definition's command (<c>command</c>).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>
    /// Adds or replaces environment variables (<c>environment</c>). Names starting with <c>AWS_BATCH</c> are reserved.
    /// </summary>
    public IReadOnlyList<EnvironmentVariable>? Environment { get; init; }

    /// <summary>Replaces vCPU, memory and GPU requirements (<c>resourceRequirements</c>).</summary>
    public IReadOnlyList<ResourceRequirement>? ResourceRequirements { get; init; }
}
