namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The container of a described job (model shape <c>ContainerDetail</c>).</summary>
internal sealed class ContainerDetail
{
    /// <summary>The image (<c>image</c>).</summary>
    public string? Image { get; init; }

    /// <summary>The command (<c>command</c>).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The environment variables we or the definition set; Batch's own <c>AWS_BATCH_*</c> are not listed (<c>environment</c>).</summary>
    public IReadOnlyList<EnvironmentVariable>? Environment { get; init; }

    /// <summary>The resource requirements (<c>resourceRequirements</c>).</summary>
    public IReadOnlyList<ResourceRequirement>? ResourceRequirements { get; init; }

    /// <summary>The exit code, once stopped (<c>exitCode</c>).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why the container stopped, e.g. <c>OutOfMemoryError</c> (<c>reason</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>The CloudWatch Logs stream (<c>logStreamName</c>).</summary>
    public string? LogStreamName { get; init; }

    /// <summary>The log configuration, e.g. the <c>awslogs-group</c> (<c>logConfiguration</c>).</summary>
    public LogConfiguration? LogConfiguration { get; init; }

    /// <summary>The network interfaces, with <c>awsvpc</c> networking (<c>networkInterfaces</c>).</summary>
    public IReadOnlyList<NetworkInterface>? NetworkInterfaces { get; init; }

    /// <summary>The ECS task (<c>taskArn</c>).</summary>
    public string? TaskArn { get; init; }

    /// <summary>The ECS container instance (<c>containerInstanceArn</c>).</summary>
    public string? ContainerInstanceArn { get; init; }
}
