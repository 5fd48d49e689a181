using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Cluster;

/// <summary>
/// A <see cref="ClusterLauncher"/> on the local backend whose silos are the real Launcher executable, with
/// hooks to break chosen silos, and everything marked for leak checks.
/// </summary>
internal sealed class LocalClusterHarness : IAsyncDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("orleans-batch-tests-").FullName;

    public LocalClusterHarness(int maxSilos, int? minSilos = null, TimeSpan? timeout = null, Action<int, IDictionary<string, string>>? configureSilo = null, int? replaceLost = null, TimeSpan? orphanTimeout = null)
    {
        ClusterId = $"test-{Guid.NewGuid():N}"[..20];
        Backend = new LocalProcessBackend(
            new LocalProcessBackendOptions
            {
                FileName = "dotnet",
                Arguments = [RepositoryPaths.LauncherDll, "silo"],
                LogDirectory = Path.Combine(_directory, "logs"),
                Environment = new Dictionary<string, string> { [ProcessLeakDetector.MarkerVariable] = Leaks.Marker },
                ConfigureSilo = configureSilo,
            },
            NullLogger<LocalProcessBackend>.Instance);
        MembershipOptions = new LocalMembershipOptions { Directory = _directory };
        Membership = new LocalClusterMembership(ClusterId, MembershipOptions, NullLoggerFactory.Instance);
        Launcher = new ClusterLauncher(
            Backend,
            Membership,
            new ClusterLaunchOptions { ClusterId = ClusterId, MaxSilos = maxSilos, MinSilos = minSilos, ReplaceLost = replaceLost, LaunchTimeout = timeout ?? TimeSpan.FromMinutes(2), OrphanTimeout = orphanTimeout },
            Observer,
            NullLoggerFactory.Instance);
    }

    public string ClusterId { get; }

    public ProcessLeakDetector Leaks { get; } = new();

    public LocalProcessBackend Backend { get; }

    public LocalMembershipOptions MembershipOptions { get; }

    public LocalClusterMembership Membership { get; }

    public ClusterLauncher Launcher { get; }

    public RecordingObserver Observer { get; } = new();

    /// <summary>The directory under which this harness keeps membership files and logs.</summary>
    public string Directory => _directory;

    /// <summary>Asserts that no process is left and the cluster's membership file is gone.</summary>
    public async Task AssertNothingLeftAsync()
    {
        await Leaks.AssertNoneLeftAsync();
        File.Exists(MembershipOptions.GetTablePath(ClusterId)).ShouldBeFalse("the membership table file was not deleted");
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        Leaks.KillAll();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    internal sealed class RecordingObserver : IClusterLaunchObserver
    {
        public List<string> Warnings { get; } = [];

        public List<ClusterLaunchSnapshot> Snapshots { get; } = [];

        public List<ClusterTeardownReport> Teardowns { get; } = [];

        public void OnProgress(ClusterLaunchSnapshot snapshot)
        {
            lock (Snapshots)
            {
                Snapshots.Add(snapshot);
            }
        }

        public void OnWarning(string message) => Warnings.Add(message);

        /// <summary>Every change of the running cluster's silos, in order: "added 2", "removed 3", "replacing 1 (1/2)", "lost 1".</summary>
        public List<string> Changes { get; } = [];

        public void OnSiloAdded(ClusterSilo silo) => Record($"added {silo.Index}");

        public void OnSiloRemoved(ClusterSilo silo, string reason) => Record($"removed {silo.Index}");

        public void OnSiloReplacing(LostSilo silo, int used, int budget) => Record($"replacing {silo.Silo.Index} ({used}/{budget})");

        public void OnSiloLost(LostSilo silo) => Record($"lost {silo.Silo.Index}: {silo.Reason}");

        private void Record(string change)
        {
            lock (Changes)
            {
                Changes.Add(change);
            }
        }

        public void OnTeardownCompleted(ClusterTeardownReport report) => Teardowns.Add(report);
    }
}
