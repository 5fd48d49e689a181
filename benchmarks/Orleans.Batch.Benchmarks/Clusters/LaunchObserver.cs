using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>Notes, from the launcher's own polls of the membership table, when the manager saw the silos join.</summary>
internal sealed class LaunchObserver(Clock clock) : IClusterLaunchObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, TimeSpan> _firstRow = [];
    private readonly Dictionary<int, TimeSpan> _firstActive = [];

    /// <summary>When the launcher first saw every silo active.</summary>
    public TimeSpan? AllActive { get; private set; }

    /// <summary>When the launcher first saw any row of each silo, and when it first saw each silo active.</summary>
    public (IReadOnlyDictionary<int, TimeSpan> Rows, IReadOnlyDictionary<int, TimeSpan> Active) PerSilo
    {
        get
        {
            lock (_gate)
            {
                return (new Dictionary<int, TimeSpan>(_firstRow), new Dictionary<int, TimeSpan>(_firstActive));
            }
        }
    }

    public List<string> Warnings { get; } = [];

    public void OnProgress(ClusterLaunchSnapshot snapshot)
    {
        var now = clock.Elapsed;
        lock (_gate)
        {
            foreach (var silo in snapshot.Silos)
            {
                if (silo.Membership is not null)
                {
                    _firstRow.TryAdd(silo.Index, now);
                }

                if (silo.IsActive)
                {
                    _firstActive.TryAdd(silo.Index, now);
                }
            }

            if (AllActive is null && snapshot.ActiveCount == snapshot.Silos.Count)
            {
                AllActive = now;
            }
        }
    }

    public void OnWarning(string message)
    {
        lock (_gate)
        {
            Warnings.Add(message);
        }
    }
}
