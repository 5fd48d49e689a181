using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Cluster.Inventory;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;

namespace Orleans.Batch.Tests.Hosting.Cluster.Inventory;

/// <summary>How a cluster is judged live or orphaned: lease first, then, without a lease, any sign of life.</summary>
public sealed class ClusterInventoryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DynamoDBClusterPartitionCatalog _table = new(new DynamoDBMembershipOptions { TableName = "membership", ServiceUrl = new Uri("http://127.0.0.1:9/") });

    [Fact]
    public void A_lease_renewed_within_its_timeout_is_live_whatever_else()
    {
        var record = Assess(Partition(new ManagerLease(3, Now.AddSeconds(-59), TimeSpan.FromSeconds(60), "h"), heartbeat: Now.AddHours(-5)));

        record.LeaseState.ShouldBe(ClusterLeaseState.Live);
        record.IsOrphaned.ShouldBeFalse();
        record.LeaseAge.ShouldBe(TimeSpan.FromSeconds(59));
        record.Assessment.ShouldBe("lease live: renewed 59s ago");
    }

    [Fact]
    public void A_lease_not_renewed_for_longer_than_its_timeout_is_expired_even_with_fresh_heartbeats()
    {
        var record = Assess(Partition(new ManagerLease(3, Now.AddSeconds(-61), TimeSpan.FromSeconds(60), "h"), heartbeat: Now));

        record.LeaseState.ShouldBe(ClusterLeaseState.Expired);
        record.IsOrphaned.ShouldBeTrue();
        record.Assessment.ShouldBe("lease expired: not renewed for 61s (timeout 60s)");
    }

    [Fact]
    public void Without_a_lease_a_recent_silo_heartbeat_means_live()
    {
        var record = Assess(Partition(null, heartbeat: Now - ClusterInventory.NoLeaseQuietPeriod + TimeSpan.FromSeconds(1)));

        record.LeaseState.ShouldBe(ClusterLeaseState.None);
        record.IsOrphaned.ShouldBeFalse();
        record.Assessment.ShouldStartWith("no lease, but a silo heartbeat");
    }

    [Fact]
    public void Without_a_lease_a_recently_created_job_means_live()
    {
        var record = Assess(null, Job(created: Now.AddMinutes(-9)));

        record.IsOrphaned.ShouldBeFalse();
        record.Assessment.ShouldBe("no lease, but a job created 9m ago");
    }

    [Fact]
    public void Without_a_lease_a_job_whose_membership_is_in_another_table_is_left_alone()
    {
        var record = Assess(null, Job(created: Now.AddHours(-3), configuration: DynamoDB("other-table", "http://127.0.0.1:9/")));

        record.IsOrphaned.ShouldBeFalse();
        record.Assessment.ShouldBe("no lease here: job job-1 keeps its membership in another store (table other-table)");
    }

    [Theory]
    [InlineData("membership", "http://127.0.0.1:9/", true)]
    [InlineData("membership", "http://127.0.0.1:9", true)]
    [InlineData("membership", "http://127.0.0.1:10/", false)]
    [InlineData("membership", null, false)]
    [InlineData("membership2", "http://127.0.0.1:9/", false)]
    public void A_job_keeps_its_membership_here_only_with_the_same_table_and_endpoint(string table, string? serviceUrl, bool here)
    {
        _table.KeepsMembershipOf(DynamoDB(table, serviceUrl)).ShouldBe(here);
    }

    [Fact]
    public void A_job_without_membership_configuration_does_not_say_where_its_membership_is()
    {
        _table.KeepsMembershipOf(new Dictionary<string, string>()).ShouldBeNull();
        _table.KeepsMembershipOf(new Dictionary<string, string> { ["OrleansBatch:Membership"] = "Local" }).ShouldBe(false);

        var local = new FileClusterPartitionCatalog(new LocalMembershipOptions { Directory = "/tmp/a" });
        local.KeepsMembershipOf(new Dictionary<string, string> { ["OrleansBatch:Membership"] = "Local", ["OrleansBatch:LocalMembership:Directory"] = "/tmp/a/" }).ShouldBe(true);
        local.KeepsMembershipOf(new Dictionary<string, string> { ["OrleansBatch:Membership"] = "Local", ["OrleansBatch:LocalMembership:Directory"] = "/tmp/b" }).ShouldBe(false);
        local.KeepsMembershipOf(DynamoDB("membership", null)).ShouldBe(false);
    }

    [Fact]
    public void Without_a_lease_and_quiet_for_longer_than_the_quiet_period_it_is_orphaned()
    {
        Assess(Partition(null, heartbeat: Now - ClusterInventory.NoLeaseQuietPeriod - TimeSpan.FromSeconds(1))).IsOrphaned.ShouldBeTrue();
        Assess(null, Job(created: Now.AddHours(-1))).IsOrphaned.ShouldBeTrue();
        Assess(null, Job(created: Now.AddHours(-1), configuration: DynamoDB("membership", "http://127.0.0.1:9/"))).IsOrphaned.ShouldBeTrue();
        Assess(Partition(null, heartbeat: null)).Assessment.ShouldBe("no lease, and quiet for over 10m");
    }

    [Fact]
    public void Only_jobs_with_our_tool_tag_and_a_cluster_id_that_are_still_active_are_cluster_jobs()
    {
        var ours = new Dictionary<string, string> { [AwsBatchTags.Tool] = AwsBatchTags.ToolValue, [AwsBatchTags.ClusterId] = "c1", [AwsBatchTags.Role] = "silo" };

        var job = ClusterJobFinder.ToClusterJob(Detail(JobStatus.Running, ours, [new EnvironmentVariable("OrleansBatch__DynamoDB__TableName", "t1"), new EnvironmentVariable("AWS_REGION", "us-east-1")]));
        job.ShouldNotBeNull();
        job.ClusterId.ShouldBe("c1");
        job.Role.ShouldBe("silo");
        job.SiloConfiguration.ShouldBe(new Dictionary<string, string> { ["OrleansBatch:DynamoDB:TableName"] = "t1" });

        ClusterJobFinder.ToClusterJob(Detail(JobStatus.Running, null, [])).ShouldBeNull();
        ClusterJobFinder.ToClusterJob(Detail(JobStatus.Running, new Dictionary<string, string> { [AwsBatchTags.ClusterId] = "c1" }, [])).ShouldBeNull();
        ClusterJobFinder.ToClusterJob(Detail(JobStatus.Running, new Dictionary<string, string> { [AwsBatchTags.Tool] = AwsBatchTags.ToolValue }, [])).ShouldBeNull();
        ClusterJobFinder.ToClusterJob(Detail(JobStatus.Running, new Dictionary<string, string> { [AwsBatchTags.Tool] = "someone-else", [AwsBatchTags.ClusterId] = "c1" }, [])).ShouldBeNull();
        ClusterJobFinder.ToClusterJob(Detail(JobStatus.Failed, ours, [])).ShouldBeNull();
        ClusterJobFinder.ToClusterJob(Detail(JobStatus.Succeeded, ours, [])).ShouldBeNull();
    }

    [Fact]
    public void Durations_are_short()
    {
        ClusterInventory.Format(TimeSpan.FromSeconds(119)).ShouldBe("119s");
        ClusterInventory.Format(TimeSpan.FromMinutes(119)).ShouldBe("119m");
        ClusterInventory.Format(TimeSpan.FromHours(47)).ShouldBe("47h");
        ClusterInventory.Format(TimeSpan.FromDays(3)).ShouldBe("3d");
        ClusterInventory.Format(TimeSpan.FromSeconds(-5)).ShouldBe("0s");
    }

    public void Dispose() => _table.Dispose();

    private ClusterRecord Assess(ClusterPartition? partition, params ClusterJob[] jobs) =>
        new ClusterInventory(_table, null, null, TimeProvider.System).Assess("c1", partition, jobs, Now);

    private static ClusterPartition Partition(ManagerLease? lease, DateTimeOffset? heartbeat) =>
        new("c1", lease, heartbeat is null ? 0 : 1, heartbeat is null ? 0 : 1, heartbeat);

    private static ClusterJob Job(DateTimeOffset created, IReadOnlyDictionary<string, string>? configuration = null) =>
        new("job-1", "orleans-batch-c1", "c1", "silo", JobStatus.Running, created, null, null, configuration ?? new Dictionary<string, string>());

    private static Dictionary<string, string> DynamoDB(string table, string? serviceUrl)
    {
        var configuration = new Dictionary<string, string> { ["OrleansBatch:Membership"] = "DynamoDB", ["OrleansBatch:DynamoDB:TableName"] = table };
        if (serviceUrl is not null)
        {
            configuration["OrleansBatch:DynamoDB:ServiceUrl"] = serviceUrl;
        }

        return configuration;
    }

    private static JobDetail Detail(JobStatus status, Dictionary<string, string>? tags, EnvironmentVariable[] environment) => new()
    {
        JobId = "job-1",
        JobName = "orleans-batch-c1",
        JobQueue = "arn:aws:batch:us-east-1:123456789012:job-queue/q",
        JobDefinition = "arn:aws:batch:us-east-1:123456789012:job-definition/d:1",
        Status = status,
        Tags = tags,
        Container = new ContainerDetail { Environment = environment },
    };
}
