namespace Orleans.Batch.Hosting.Cluster.Inventory;

/// <summary>One step of a clean-up, done (or, in a dry run, only planned).</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Target">What it acts on: a job id, or the store's description.</param>
/// <param name="DryRun">True when nothing was done.</param>
/// <param name="Detail">More about the target (the job's name and status, the number of items deleted, why it was skipped).</param>
/// <param name="Error">Why the step failed, or null when it succeeded.</param>
internal sealed record ClusterCleanupAction(
    ClusterCleanupActionKind Kind,
    string ClusterId,
    string Target,
    bool DryRun,
    string? Detail = null,
    Exception? Error = null)
{
    /// <summary>True unless the step failed.</summary>
    public bool Succeeded => Error is null;

    /// <summary>One line, e.g. <c>terminated job 0123… (orleans-batch-x, RUNNING) of cluster x</c>.</summary>
    /// <param name="describeError">Turns an error into one line; its message by default.</param>
    /// <returns>The line.</returns>
    public string Describe(Func<Exception, string>? describeError = null)
    {
        var detail = string.IsNullOrEmpty(Detail) ? string.Empty : $" ({Detail})";
        var what = Kind switch
        {
            ClusterCleanupActionKind.TerminateJob => $"job {Target}{detail} of cluster {ClusterId}",
            ClusterCleanupActionKind.DeletePartition => $"the membership partition of cluster {ClusterId} in {Target}{detail}",
            _ => $"cluster {ClusterId}{detail}",
        };
        if (Error is { } error)
        {
            var verb = Kind == ClusterCleanupActionKind.TerminateJob ? "terminate" : "delete";
            return $"FAILED to {verb} {what}: {(describeError ?? (e => e.Message))(error)}";
        }

        return (Kind, DryRun) switch
        {
            (ClusterCleanupActionKind.Skip, _) => $"skipped {what}",
            (ClusterCleanupActionKind.TerminateJob, true) => $"would terminate {what}",
            (ClusterCleanupActionKind.TerminateJob, false) => $"terminated {what}",
            (_, true) => $"would delete {what}",
            _ => $"deleted {what}",
        };
    }
}
