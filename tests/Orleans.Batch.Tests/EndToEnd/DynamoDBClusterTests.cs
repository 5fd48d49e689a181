using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>The main command with the membership in DynamoDB Local: the silos join the partition named by the cluster id.</summary>
[Collection(ProcessCollection.Name)]
public sealed class DynamoDBClusterTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task Four_local_silos_join_the_clusters_partition_and_leave_it_empty()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("e2e");
        var clusterId = $"e2e-{Guid.NewGuid():N}";
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(leaks, ["--silos", "4", "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table, "--cluster-id", clusterId, "--hold"]);
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));

            // While it runs, the partition holds four active silos (plus the version and lease items).
            var rows = await dynamo.QueryPartitionAsync(table, clusterId);
            rows.Count(r => !DynamoDBMembershipSchema.IsReservedSortKey(r[DynamoDBMembershipSchema.SortKey].S)
                && r[DynamoDBMembershipSchema.Status].S == "Active").ShouldBe(4);
            rows.ShouldContain(r => r[DynamoDBMembershipSchema.SortKey].S == DynamoDBMembershipSchema.LeaseSortKey);
            launcher.StandardOutput.ShouldContain("Num silos: 4");

            await launcher.SignalAsync("INT");
            (await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(130, launcher.StandardError);

            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty("the cluster's partition was not deleted");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            leaks.KillAll();
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }
}
