namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The outcome of a listed job's container (model shape <c>ContainerSummary</c>).</summary>
internal sealed class ContainerSummary
{
    /// <summary>The exit code (<c>exitCode</c>).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why the container stopped (<c>reason</c>).</summary>
    public string? Reason { get; init; }
}
