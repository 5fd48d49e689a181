namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A retry condition on a failed attempt (model shape <c>EvaluateOnExit</c>); patterns may end with <c>*</c>.</summary>
internal sealed class EvaluateOnExit
{
    /// <summary>A pattern for the attempt's status reason (<c>onStatusReason</c>).</summary>
    public string? OnStatusReason { get; init; }

    /// <summary>A pattern for the container's reason (<c>onReason</c>).</summary>
    public string? OnReason { get; init; }

    /// <summary>A pattern for the container's exit code (<c>onExitCode</c>).</summary>
    public string? OnExitCode { get; init; }

    /// <summary>What to do when all given patterns match (<c>action</c>, required).</summary>
    public required RetryAction Action { get; init; }
}
