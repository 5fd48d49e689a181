using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>One silo's progress during launch: its compute (backend) and its membership.</summary>
/// <param name="Index">The silo's index, 0-based.</param>
/// <param name="Name">Its silo name.</param>
/// <param name="Backend">What the backend reports, or null before the first report.</param>
/// <param name="Membership">Its Orleans status in the membership table, or null before it has a row.</param>
/// <param name="SiloAddress">Its address once it has a row.</param>
public sealed record SiloLaunchState(
    int Index,
    string Name,
    SiloBackendStatus? Backend,
    SiloStatus? Membership,
    SiloAddress? SiloAddress)
{
    /// <summary>True when the silo is an active member of the cluster.</summary>
    public bool IsActive => Membership == SiloStatus.Active;

    /// <summary>True when the silo can no longer become active (its compute ended, or it was declared dead).</summary>
    public bool IsLost => Membership is SiloStatus.Dead or SiloStatus.ShuttingDown or SiloStatus.Stopping
        || (Backend?.State.IsTerminal() ?? false);

    /// <summary>A short word for where the silo is: <c>submitted</c>, <c>runnable</c>, <c>joining</c>, <c>active</c>, ...</summary>
    public string Phase => Membership switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Joining or SiloStatus.Created => Backend?.State.IsTerminal() == true ? Describe(Backend.State) : "joining",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => Backend is null ? "launching" : Describe(Backend.State),
    };

    /// <summary>One line: phase, the backend's reason, and where the logs are when it failed.</summary>
    public string Describe()
    {
        var text = Phase;
        if (Backend?.Reason is { Length: > 0 } reason && !IsActive)
        {
            text += $" ({reason})";
        }

        if (SiloAddress is not null)
        {
            text += $" at {SiloAddress.Endpoint}";
        }

        if (IsLost && Backend?.LogLocation is { Length: > 0 } log)
        {
            text += $"; logs: {log}";
        }

        return text;
    }

    private static string Describe(SiloBackendState state) => state switch
    {
        SiloBackendState.Running => "started",
        _ => state.ToString().ToLowerInvariant(),
    };
}
