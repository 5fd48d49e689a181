namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A job definition revision (model shape <c>JobDefinition</c>).</summary>
internal sealed class JobDefinition
{
    /// <summary>The name (<c>jobDefinitionName</c>).</summary>
    public required string JobDefinitionName { get; init; }

    /// <summary>The ARN, ending in <c>:revision</c> (<c>jobDefinitionArn</c>).</summary>
    public required string JobDefinitionArn { get; init; }

    /// <summary>The revision (<c>revision</c>).</summary>
    public required int Revision { get; init; }

    /// <summary><c>ACTIVE</c> or <c>INACTIVE</c> (<c>status</c>).</summary>
    public string? Status { get; init; }

    /// <summary><c>container</c> or <c>multinode</c>; a plain string in the model (<c>type</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The container (<c>containerProperties</c>).</summary>
    public ContainerProperties? ContainerProperties { get; init; }

    /// <summary>Default parameters (<c>parameters</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The retry strategy (<c>retryStrategy</c>).</summary>
    public RetryStrategy? RetryStrategy { get; init; }

    /// <summary>The timeout (<c>timeout</c>).</summary>
    public JobTimeout? Timeout { get; init; }

    /// <summary>Whether tags are copied to ECS tasks (<c>propagateTags</c>).</summary>
    public bool? PropagateTags { get; init; }

    /// <summary>The tags (<c>tags</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>EC2 and/or Fargate (<c>platformCapabilities</c>).</summary>
    public IReadOnlyList<PlatformCapability>? PlatformCapabilities { get; init; }
}
