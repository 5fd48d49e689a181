namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A compute environment (model shape <c>ComputeEnvironmentDetail</c>): the members preflight and the RUNNABLE diagnosis read.</summary>
internal sealed class ComputeEnvironmentDetail
{
    /// <summary>The name (<c>computeEnvironmentName</c>).</summary>
    public required string ComputeEnvironmentName { get; init; }

    /// <summary>The ARN (<c>computeEnvironmentArn</c>).</summary>
    public required string ComputeEnvironmentArn { get; init; }

    /// <summary>MANAGED or UNMANAGED (<c>type</c>).</summary>
    public ComputeEnvironmentType? Type { get; init; }

    /// <summary>ENABLED or DISABLED (<c>state</c>).</summary>
    public ComputeEnvironmentState? State { get; init; }

    /// <summary>CREATING, UPDATING, DELETING, DELETED, VALID or INVALID (<c>status</c>).</summary>
    public ComputeEnvironmentStatus? Status { get; init; }

    /// <summary>Why it has its status, e.g. why it is INVALID (<c>statusReason</c>).</summary>
    public string? StatusReason { get; init; }

    /// <summary>What a managed environment may launch (<c>computeResources</c>); null for an unmanaged one.</summary>
    public ComputeResource? ComputeResources { get; init; }
}
