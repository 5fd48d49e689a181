namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A compute environment of a job queue and its order (model shape <c>ComputeEnvironmentOrder</c>).</summary>
internal sealed class ComputeEnvironmentOrder
{
    /// <summary>The order; lower is tried first (<c>order</c>, required).</summary>
    public required int Order { get; init; }

    /// <summary>The compute environment ARN (<c>computeEnvironment</c>, required).</summary>
    public required string ComputeEnvironment { get; init; }
}
