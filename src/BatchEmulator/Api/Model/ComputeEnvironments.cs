namespace Orleans.Batch.BatchEmulator.Api.Model;

internal sealed class DescribeComputeEnvironmentsRequest
{
    public List<string>? ComputeEnvironments { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class DescribeComputeEnvironmentsResponse
{
    public required List<ComputeEnvironmentDetailShape> ComputeEnvironments { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class ComputeEnvironmentDetailShape
{
    public required string ComputeEnvironmentName { get; set; }

    public required string ComputeEnvironmentArn { get; set; }

    public string? Type { get; set; }

    public string? State { get; set; }

    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public ComputeResourceShape? ComputeResources { get; set; }

    public string? ContainerOrchestrationType { get; set; }
}

internal sealed class ComputeResourceShape
{
    public required string Type { get; set; }

    public required int MaxvCpus { get; set; }

    public int? MinvCpus { get; set; }

    public int? DesiredvCpus { get; set; }

    public List<string>? InstanceTypes { get; set; }
}
