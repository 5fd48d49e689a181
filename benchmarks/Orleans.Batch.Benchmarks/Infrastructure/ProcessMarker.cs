namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>
/// Marks every process the harness starts: a variable in the harness's environment, inherited by every silo
/// process of both sides. At the end, any live process carrying it is a leak. run.sh sets it (so it can check
/// again after the harness has exited, however it exited); otherwise the harness makes one up.
/// </summary>
internal static class ProcessMarker
{
    /// <summary>The marker variable.</summary>
    public const string Variable = "ORLEANS_BATCH_BENCH_MARKER";

    /// <summary>Returns the marker, setting a new one in this process's environment if there is none.</summary>
    public static string Ensure()
    {
        var marker = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(marker))
        {
            marker = Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(Variable, marker);
        }

        return marker;
    }

    /// <summary>Live processes started by this harness run (descendants included), other than the harness.</summary>
    public static IReadOnlyList<int> FindLeftovers() => ProcessTable.FindByEnvironment(Variable, Ensure());
}
