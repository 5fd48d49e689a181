namespace Orleans.Batch.Hosting.Cluster;

/// <summary>The state of every silo at one moment of the launch wait.</summary>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Silos">Every launched silo, by index.</param>
/// <param name="Elapsed">Time since the launch began.</param>
/// <param name="Timeout">The launch timeout.</param>
/// <param name="MinSilos">How many active silos are enough once the timeout passes.</param>
public sealed record ClusterLaunchSnapshot(
    string ClusterId,
    IReadOnlyList<SiloLaunchState> Silos,
    TimeSpan Elapsed,
    TimeSpan Timeout,
    int MinSilos)
{
    /// <summary>How many silos are active.</summary>
    public int ActiveCount => Silos.Count(s => s.IsActive);

    /// <summary>How many silos are active or may still become active.</summary>
    public int PossibleCount => Silos.Count(s => s.IsActive || !s.IsLost);

    /// <summary>A one-line summary such as <c>2/4 active, 1 joining, 1 runnable</c>.</summary>
    public string Summary()
    {
        var groups = Silos
            .Where(s => !s.IsActive)
            .GroupBy(s => s.Phase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}");
        var parts = new[] { $"{ActiveCount}/{Silos.Count} active" }.Concat(groups);
        return string.Join(", ", parts);
    }
}
