namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>What a managed compute environment may launch (model shape <c>ComputeResource</c>).</summary>
internal sealed class ComputeResource
{
    /// <summary>EC2, SPOT, FARGATE or FARGATE_SPOT (<c>type</c>, required).</summary>
    public required ComputeResourceType Type { get; init; }

    /// <summary>The most vCPUs the environment runs at once, over all its instances (<c>maxvCpus</c>, required).</summary>
    public required int MaxvCpus { get; init; }

    /// <summary>The fewest vCPUs it keeps (<c>minvCpus</c>).</summary>
    public int? MinvCpus { get; init; }

    /// <summary>The vCPUs it wants now (<c>desiredvCpus</c>).</summary>
    public int? DesiredvCpus { get; init; }

    /// <summary>Instance types or families it may launch, e.g. <c>optimal</c>, <c>c6g</c>, <c>m5.large</c> (<c>instanceTypes</c>).</summary>
    public IReadOnlyList<string>? InstanceTypes { get; init; }
}
