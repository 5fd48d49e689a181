using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Orleans.Batch.Hosting.Diagnostics;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Hosting.AwsBatch;
using Orleans.Batch.Tests.Hosting.Cluster;
using Orleans.Batch.Tests.Infrastructure;
using Instruments = Orleans.Batch.Hosting.Diagnostics.OrleansBatchTelemetry.Instruments;

namespace Orleans.Batch.Tests.Hosting.Diagnostics;

/// <summary>
/// The library reports what it does through System.Diagnostics under the documented names: AWS requests by service,
/// operation and outcome, launch and tear-down durations, and the launch as an activity.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TelemetryTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task Batch_requests_are_counted_by_operation_and_outcome_with_throttling_told_apart()
    {
        using var metrics = new MetricCollector();
        await using var server = await FakeBatchServer.StartAsync(new ImmutableCredentials("AKIDMETRICS", "metrics-secret", null));
        using var client = new AwsBatchClient(new AwsBatchClientOptions
        {
            ServiceUrl = server.Url.ToString(),
            Region = "eu-west-1",
            Credentials = new BasicAWSCredentials("AKIDMETRICS", "metrics-secret"),
            BaseRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        });
        server.EnqueueError("describejobs", HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Too Many Requests");

        await client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = ["job-1"] }, TestContext.Current.CancellationToken);

        // One throttled attempt, then one answered: two requests, each with its duration.
        var here = ("server.port", (object?)server.Url.Port);
        metrics.Of(Instruments.AwsRequests, here, ("rpc.service", "Batch"), ("rpc.method", "DescribeJobs"), ("outcome", "throttled")).Sum(m => m.Value).ShouldBe(1);
        metrics.Of(Instruments.AwsRequests, here, ("rpc.service", "Batch"), ("rpc.method", "DescribeJobs"), ("outcome", "success")).Sum(m => m.Value).ShouldBe(1);
        var durations = metrics.Of(Instruments.AwsRequestDuration, here, ("rpc.method", "DescribeJobs"));
        durations.Count.ShouldBe(2);
        durations.ShouldAllBe(d => d.Unit == "s" && d.Value > 0 && d.Value < 10);
    }

    [Fact]
    public async Task DynamoDB_requests_are_counted_with_failed_conditions_as_conflicts()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        using var metrics = new MetricCollector();
        var table = DynamoDBLocalFixture.UniqueTableName("metrics");
        using var client = DynamoDBClientFactory.Create(new DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(dynamo.ServiceUrl) });

        // A table that does not exist: an answered error, counted as one.
        await Should.ThrowAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>(() => client.DescribeTableAsync(table, TestContext.Current.CancellationToken));

        var port = (object?)new Uri(dynamo.ServiceUrl).Port;
        metrics.Of(Instruments.AwsRequests, ("server.port", port), ("rpc.service", "DynamoDB"), ("rpc.method", "DescribeTable"), ("outcome", "error")).Sum(m => m.Value).ShouldBe(1);
    }

    [Fact]
    public async Task DynamoDB_requests_report_the_capacity_they_consumed_as_reads_and_writes()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        using var metrics = new MetricCollector();
        var table = DynamoDBLocalFixture.UniqueTableName("capacity");
        using var client = DynamoDBClientFactory.Create(new DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(dynamo.ServiceUrl) });
        try
        {
            await client.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
            {
                TableName = table,
                BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("Id", Amazon.DynamoDBv2.KeyType.HASH)],
                AttributeDefinitions = [new("Id", Amazon.DynamoDBv2.ScalarAttributeType.S)],
            }, TestContext.Current.CancellationToken);
            var key = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["Id"] = new() { S = "a" } };

            await client.PutItemAsync(table, key, TestContext.Current.CancellationToken);
            await client.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest { TableName = table, Key = key, ConsistentRead = true }, TestContext.Current.CancellationToken);

            // Nobody asked for ReturnConsumedCapacity: the client does, on every request.
            metrics.Of(Instruments.DynamoDBConsumedCapacity, ("rpc.method", "PutItem"), ("aws.dynamodb.capacity", "write")).ShouldHaveSingleItem().Value.ShouldBe(1);
            metrics.Of(Instruments.DynamoDBConsumedCapacity, ("rpc.method", "GetItem"), ("aws.dynamodb.capacity", "read")).ShouldHaveSingleItem().Value.ShouldBe(1, "a strongly consistent read of an item under 4 KB");
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_launch_and_its_tear_down_report_their_durations_and_the_launch_is_an_activity()
    {
        using var metrics = new MetricCollector();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrleansBatchTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = new LocalClusterHarness(maxSilos: 1, orphanTimeout: TimeSpan.FromSeconds(60));

        var cluster = await harness.Launcher.LaunchAsync(TestContext.Current.CancellationToken);
        var id = (Orleans.Batch.Hosting.Diagnostics.Internal.ClusterTelemetry.ClusterIdTag, (object?)harness.ClusterId);
        metrics.Observe();
        var running = metrics.Of(Instruments.Silos, id).ShouldHaveSingleItem("one state while the cluster runs");
        running.Tags["state"].ShouldBe("active");
        running.Value.ShouldBe(1);
        metrics.Of(Instruments.LeaseAge, id).ShouldHaveSingleItem().Value.ShouldBeInRange(0, 60, "renewed at the launch and every few seconds since");
        await cluster.ShutdownAsync("the test is done", TestContext.Current.CancellationToken);
        metrics.Observe();
        metrics.Of(Instruments.Silos, id).Count.ShouldBe(1, "a torn-down cluster is no longer reported");
        metrics.Of(Instruments.LeaseAge, id).Count.ShouldBe(1);

        var launch = metrics.Of(Instruments.LaunchDuration, id, ("outcome", "ready"), ("orleans_batch.backend", "local")).ShouldHaveSingleItem();
        launch.Unit.ShouldBe("s");
        launch.Value.ShouldBeInRange(0.01, 180);
        metrics.Of(Instruments.TeardownDuration, id, ("outcome", "released")).ShouldHaveSingleItem().Value.ShouldBeGreaterThan(0);
        lock (activities)
        {
            activities.Where(a => a.OperationName == "orleans.batch.launch" && Equals(a.GetTagItem("orleans.cluster_id"), harness.ClusterId))
                .ShouldHaveSingleItem().Status.ShouldNotBe(ActivityStatusCode.Error);
        }

        await harness.AssertNothingLeftAsync();
    }
}
