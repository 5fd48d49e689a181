namespace Orleans.Batch.Hosting.Cluster.Elasticity;

/// <summary>
/// How a cluster scales itself with its load (<c>--scale adaptive</c>; Dask's <c>cluster.adapt(minimum, maximum)</c>):
/// the manager reads the silos' runtime statistics (CPU, activations, overload) through Orleans' management grain,
/// adds silos while they are busy and removes the newest while they are idle, never outside
/// <see cref="Minimum"/>..<see cref="Maximum"/>, and waits <see cref="Cooldown"/> after each change.
/// </summary>
public sealed class AdaptiveScalingOptions
{
    /// <summary>The fewest live silos. Required, at least 1.</summary>
    public required int Minimum { get; init; }

    /// <summary>The most live silos. Required, at least <see cref="Minimum"/>, at most <see cref="ClusterLaunchOptions.MaxSiloCount"/>.</summary>
    public required int Maximum { get; init; }

    /// <summary>How often the silos' load is read. Default 5 seconds.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a change the cluster stays as it is, so new silos can take load before it is judged again. Default 60 seconds.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At or above this average CPU (percent) the cluster grows. Default 70.</summary>
    public double ScaleUpCpuPercent { get; init; } = 70;

    /// <summary>At or below this average CPU (percent) the cluster is idle. Default 25.</summary>
    public double ScaleDownCpuPercent { get; init; } = 25;

    /// <summary>How long the cluster must stay idle before it shrinks. Default 60 seconds.</summary>
    public TimeSpan ScaleDownAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the values; the messages name the setting.</summary>
    public void Validate()
    {
        if (Minimum < 1 || Maximum < Minimum || Maximum > ClusterLaunchOptions.MaxSiloCount)
        {
            throw new ArgumentOutOfRangeException(nameof(Maximum), $"adaptive scaling needs 1 <= Minimum <= Maximum <= {ClusterLaunchOptions.MaxSiloCount} (--silos MIN:MAX), got {Minimum}:{Maximum}.");
        }

        if (Interval <= TimeSpan.Zero || Cooldown < TimeSpan.Zero || ScaleDownAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), "Interval must be positive; Cooldown and ScaleDownAfter must not be negative.");
        }

        if (ScaleDownCpuPercent is < 0 or > 100 || ScaleUpCpuPercent is < 0 or > 100 || ScaleDownCpuPercent >= ScaleUpCpuPercent)
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleUpCpuPercent), $"need 0 <= ScaleDownCpuPercent < ScaleUpCpuPercent <= 100, got {ScaleDownCpuPercent} and {ScaleUpCpuPercent}.");
        }
    }
}
