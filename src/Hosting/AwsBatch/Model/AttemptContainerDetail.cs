namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The container of one job attempt (model shape <c>AttemptContainerDetail</c>).</summary>
internal sealed class AttemptContainerDetail
{
    /// <summary>The ECS container instance (<c>containerInstanceArn</c>).</summary>
    public string? ContainerInstanceArn { get; init; }

    /// <summary>The ECS task (<c>taskArn</c>).</summary>
    public string? TaskArn { get; init; }

    /// <summary>The exit code (<c>exitCode</c>).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why the container stopped (<c>reason</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>The CloudWatch Logs stream (<c>logStreamName</c>).</summary>
    public string? LogStreamName { get; init; }

    /// <summary>The network interfaces (<c>networkInterfaces</c>).</summary>
    public IReadOnlyList<NetworkInterface>? NetworkInterfaces { get; init; }
}
