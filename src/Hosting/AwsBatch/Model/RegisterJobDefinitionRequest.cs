namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Input of <c>RegisterJobDefinition</c> (model shape <c>RegisterJobDefinitionRequest</c>); each call adds a revision.</summary>
internal sealed class RegisterJobDefinitionRequest
{
    /// <summary>The name: up to 128 letters, digits, hyphens and underscores (<c>jobDefinitionName</c>, required).</summary>
    public required string JobDefinitionName { get; init; }

    /// <summary>The type (<c>type</c>, required).</summary>
    public required JobDefinitionType Type { get; init; }

    /// <summary>The container; required for <see cref="JobDefinitionType.Container"/> (<c>containerProperties</c>).</summary>
    public ContainerProperties? ContainerProperties { get; init; }

    /// <summary>Default values for <c>Ref::name</c> placeholders (<c>parameters</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The retry strategy (<c>retryStrategy</c>).</summary>
    public RetryStrategy? RetryStrategy { get; init; }

    /// <summary>Copies tags to ECS tasks (<c>propagateTags</c>).</summary>
    public bool? PropagateTags { get; init; }

    /// <summary>The timeout (<c>timeout</c>).</summary>
    public JobTimeout? Timeout { get; init; }

    /// <summary>Up to 50 tags (<c>tags</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>EC2 (default) and/or Fargate (<c>platformCapabilities</c>).</summary>
    public IReadOnlyList<PlatformCapability>? PlatformCapabilities { get; init; }
}
