namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The container of a job definition (model shape <c>ContainerProperties</c>).</summary>
internal sealed class ContainerProperties
{
    /// <summary>The image, e.g. an ECR URI with a tag (<c>image</c>).</summary>
    public string? Image { get; init; }

    /// <summary>The default command (<c>command</c>).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Deprecated vCPU count; prefer <see cref="ResourceRequirements"/> (<c>vcpus</c>).</summary>
    public int? Vcpus { get; init; }

    /// <summary>Deprecated memory in MiB; prefer <see cref="ResourceRequirements"/> (<c>memory</c>).</summary>
    public int? Memory { get; init; }

    /// <summary>vCPU, memory and GPU requirements (<c>resourceRequirements</c>).</summary>
    public IReadOnlyList<ResourceRequirement>? ResourceRequirements { get; init; }

    /// <summary>Environment variables (<c>environment</c>).</summary>
    public IReadOnlyList<EnvironmentVariable>? Environment { get; init; }

    /// <summary>The IAM role the container's code runs as (<c>jobRoleArn</c>).</summary>
    public string? JobRoleArn { get; init; }

    /// <summary>The IAM role ECS uses to pull the image and write logs; required on Fargate (<c>executionRoleArn</c>).</summary>
    public string? ExecutionRoleArn { get; init; }

    /// <summary>The log configuration (<c>logConfiguration</c>).</summary>
    public LogConfiguration? LogConfiguration { get; init; }
}
