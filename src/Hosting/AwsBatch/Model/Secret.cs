namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A secret exposed to a container or log driver (model shape <c>Secret</c>).</summary>
internal sealed class Secret
{
    /// <summary>The name it is exposed under (<c>name</c>, required).</summary>
    public required string Name { get; init; }

    /// <summary>The Secrets Manager or SSM Parameter Store ARN (<c>valueFrom</c>, required).</summary>
    public required string ValueFrom { get; init; }
}
