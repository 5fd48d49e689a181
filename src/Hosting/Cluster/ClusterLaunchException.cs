using System.Text;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>
/// The cluster could not be launched: too few silos became active in time, or too many failed. The message
/// says, per silo, what state it reached.
/// </summary>
public sealed class ClusterLaunchException : Exception
{
    /// <summary>Creates the exception with the last snapshot of the launch.</summary>
    public ClusterLaunchException(string reason, ClusterLaunchSnapshot snapshot)
        : base(Format(reason, snapshot))
    {
        Reason = reason;
        Snapshot = snapshot;
    }

    /// <summary>Creates the exception.</summary>
    public ClusterLaunchException() : this("The cluster could not be launched.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ClusterLaunchException(string message) : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ClusterLaunchException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>The one-line reason, without the per-silo detail.</summary>
    public string Reason { get; }

    /// <summary>The state of every silo when the launch gave up, when known.</summary>
    public ClusterLaunchSnapshot? Snapshot { get; }

    private static string Format(string reason, ClusterLaunchSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder(reason);
        foreach (var silo in snapshot.Silos)
        {
            text.AppendLine().Append($"  silo {silo.Index} ({silo.Name}): {silo.Describe()}");
        }

        return text.ToString();
    }
}
