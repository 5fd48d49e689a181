using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;

namespace Orleans.Batch.Tests.Hosting.Membership.Local;

/// <summary>The lease conformance suite against the local lease file (one directory per test).</summary>
public sealed class FileManagerLeaseStoreConformanceTests : ManagerLeaseStoreConformanceTests
{
    private readonly LocalMembershipOptions _options = new()
    {
        Directory = Directory.CreateTempSubdirectory("orleans-batch-tests-").FullName,
    };

    protected override IManagerLeaseStore Store => new FileManagerLeaseStore(_options);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_options.Directory))
        {
            Directory.Delete(_options.Directory, recursive: true);
        }
    }
}
