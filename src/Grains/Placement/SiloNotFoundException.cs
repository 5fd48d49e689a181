using Orleans.Runtime;

namespace Orleans.Batch.Grains.Placement;

/// <summary>Thrown when a silo-targeted grain names a silo that is not an active member of the cluster.</summary>
[GenerateSerializer]
public sealed class SiloNotFoundException : OrleansException
{
    /// <summary>Creates the exception for <paramref name="siloName"/>, listing the active silos.</summary>
    public SiloNotFoundException(string siloName, ClusterMembershipSnapshot snapshot)
        : base(FormatMessage(siloName, snapshot))
    {
        SiloName = siloName;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SiloNotFoundException(string message) : base(message)
    {
        SiloName = string.Empty;
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SiloNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
        SiloName = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public SiloNotFoundException() : this("No active silo has the requested name.")
    {
    }

    /// <summary>The requested silo name.</summary>
    [Id(0)]
    public string SiloName { get; }

    private static string FormatMessage(string siloName, ClusterMembershipSnapshot snapshot)
    {
        var active = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal);
        return $"No active silo is named '{siloName}'. Active silos: {string.Join(", ", active)}.";
    }
}
