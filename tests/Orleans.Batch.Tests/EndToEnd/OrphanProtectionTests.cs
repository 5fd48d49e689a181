using System.Diagnostics;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>A manager killed without tearing down leaves nothing billed behind: its silos stop by themselves.</summary>
[Collection(ProcessCollection.Name)]
public sealed class OrphanProtectionTests(DynamoDBLocalFixture dynamo)
{
    private static readonly TimeSpan OrphanTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Batch_silo_jobs_end_within_the_orphan_timeout_after_the_manager_is_killed()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("orphan");
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--orphan-timeout", "10s", "--max-runtime", "2m", "--hold"],
                AwsBatchClusterTests.AwsEnvironment());
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));

            // The hard cap rides on every silo job: Batch ends it even if nothing else does.
            var parent = (await emulator.Admin.JobsAsync()).Single(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal))!["jobId"]!.GetValue<string>();
            (await emulator.Batch.DescribeJobAsync(parent))["timeout"]!["attemptDurationSeconds"]!.GetValue<int>().ShouldBe(120);

            await launcher.SignalAsync("KILL");
            await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var killed = Stopwatch.StartNew();

            // The silos notice the lease is stale; the first marks it abandoned and terminates the array (one call).
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            killed.Elapsed.ShouldBeLessThan(OrphanTimeout + TimeSpan.FromSeconds(25), "silo jobs outlived the orphan timeout by far");
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1, "exactly one silo pulls the kill switch");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task With_room_for_2_of_6_silos_a_killed_managers_whole_array_ends_within_the_orphan_timeout_and_the_4_waiting_never_run()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.PatchQueueAsync("silo-queue", new { ceMaxvCpus = 2 });
        var table = DynamoDBLocalFixture.UniqueTableName("killswitch");
        var clusterId = $"kill-{Guid.NewGuid():N}";
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "6", "--timeout", "5m", "--cluster-id", clusterId, "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--orphan-timeout", "5s", "--hold"],
                AwsBatchClusterTests.AwsEnvironment());

            // The manager waits for all six: two run and are active members, four wait in RUNNABLE for capacity.
            var parent = (await Eventually.MatchesAsync(
                () => emulator.Admin.JobsAsync(),
                jobs => jobs.Any(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal)),
                TimeSpan.FromMinutes(1),
                "the array job is submitted")).Single(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal))!["jobId"]!.GetValue<string>();
            await Eventually.MatchesAsync(
                async () => (await dynamo.QueryPartitionAsync(table, clusterId)).Count(r => r.TryGetValue("Status", out var status) && status.S == "Active"),
                active => active == 2,
                TimeSpan.FromMinutes(2),
                "two silos are active");
            var summary = (await emulator.Batch.DescribeJobAsync(parent))["arrayProperties"]!["statusSummary"]!;
            summary["RUNNING"]!.GetValue<int>().ShouldBe(2);
            summary["RUNNABLE"]!.GetValue<int>().ShouldBe(4);

            await launcher.SignalAsync("KILL");
            await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var killed = Stopwatch.StartNew();

            // A silo finds the lease expired, marks it abandoned and terminates the array: Batch cancels the 4 waiting.
            await Eventually.MatchesAsync(
                () => emulator.Admin.JobsAsync(),
                all => all.All(j => j!["status"]!.GetValue<string>() is "SUCCEEDED" or "FAILED"),
                TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(10),
                "all six children ended within the orphan timeout + 10 s of the kill");
            var ended = killed.Elapsed;
            var children = (await emulator.Admin.JobsAsync()).Where(j => j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal)).ToList();
            var details = await Task.WhenAll(children.Select(c => emulator.Batch.DescribeJobAsync(c!["jobId"]!.GetValue<string>())));
            details.Count(d => d["startedAt"] is null).ShouldBe(4, "four children never ran");
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1);
            var lease = (await dynamo.QueryPartitionAsync(table, clusterId)).Single(r => r["SiloIdentity"].S == "$lease");
            lease["Abandoned"].BOOL.ShouldBe(true);
            TestContext.Current.TestOutputHelper?.WriteLine($"all 6 children ended {ended.TotalSeconds:0.0} s after the kill (orphan timeout 5 s)");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task When_no_silo_ever_started_the_queues_time_limit_cancels_a_killed_managers_silos_and_cleanup_releases_the_rest()
    {
        // No instance can hold a silo (Batch's JOB_RESOURCE_REQUIREMENT), so no silo runs to pull the kill switch: the
        // queue's jobStateTimeLimitActions, as deploy/cloudformation sets them, are the last net. 600 s scaled to 6 s.
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync(options => options.StateTimeLimitScale = 0.01);
        var action = new { reason = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", state = "RUNNABLE", maxTimeSeconds = 600, action = "CANCEL" };
        await emulator.Admin.PatchQueueAsync("silo-queue", new { maxVcpus = 0.5, jobStateTimeLimitActions = new[] { action } });
        var table = DynamoDBLocalFixture.UniqueTableName("blocked");
        var clusterId = $"blocked-{Guid.NewGuid():N}";
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "3", "--timeout", "10m", "--cluster-id", clusterId, "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
                 "--orphan-timeout", "5s"],
                AwsBatchClusterTests.AwsEnvironment());
            await launcher.WaitForOutputAsync("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", TimeSpan.FromMinutes(1));
            await launcher.SignalAsync("KILL");
            await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var killed = Stopwatch.StartNew();

            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            var ended = killed.Elapsed;
            var children = (await emulator.Admin.JobsAsync()).Where(j => j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal)).ToList();
            children.Count.ShouldBe(3);
            var details = await Task.WhenAll(children.Select(c => emulator.Batch.DescribeJobAsync(c!["jobId"]!.GetValue<string>())));
            details.ShouldAllBe(d => d["startedAt"] == null && d["statusReason"]!.GetValue<string>() == "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(0, "no silo ran, so none pulled the kill switch");

            // What Batch cancelled leaves only the partition of a cluster whose lease expired: cleanup releases it.
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["cleanup", "--cluster-id", clusterId, "--table", table, "--dynamodb-endpoint", dynamo.ServiceUrl, "--queue", "silo-queue",
                 "--batch-endpoint", emulator.BaseAddress.ToString(), "--region", "us-east-1"],
                TimeSpan.FromMinutes(1),
                AwsBatchClusterTests.AwsEnvironment());
            exitCode.ShouldBe(0, stderr + stdout);
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty();
            TestContext.Current.TestOutputHelper?.WriteLine($"all 3 blocked children were cancelled by the queue {ended.TotalSeconds:0.0} s after the kill (limit 600 s x 0.01)");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_manager_paused_for_less_than_the_orphan_timeout_keeps_its_cluster()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("paused");
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = StartHeldCluster(leaks, emulator, table, $"paused-{Guid.NewGuid():N}", orphanTimeout: "15s");
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));

            // A laptop that sleeps briefly: the manager comes back before any silo gives the cluster up.
            await launcher.SignalAsync("STOP");
            await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            await launcher.SignalAsync("CONT");
            await Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(0, "no silo pulled the kill switch");
            (await emulator.Admin.JobsAsync()).Where(j => j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal))
                .ShouldAllBe(j => j!["status"]!.GetValue<string>() == "RUNNING");
            await launcher.SignalAsync("INT");
            var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1));

            exitCode.ShouldBe(130, launcher.StandardError);
            launcher.StandardError.ShouldNotContain("The cluster is lost");
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_manager_paused_past_the_orphan_timeout_learns_its_cluster_was_given_up_and_says_why()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("paused");
        var clusterId = $"paused-{Guid.NewGuid():N}";
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = StartHeldCluster(leaks, emulator, table, clusterId, orphanTimeout: "5s");
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));

            await launcher.SignalAsync("STOP");
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            (await emulator.Admin.CallsAsync("TerminateJob")).ShouldBe(1, "a silo pulled the kill switch");
            await launcher.SignalAsync("CONT");
            var exitCode = await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1));

            // Its next renewal cannot overwrite the abandoned mark: the manager stops, names the cause, and cleans up.
            exitCode.ShouldBe(1, launcher.StandardError);
            var error = launcher.StandardError.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
            error.ShouldContain("The cluster is lost: a silo found the manager lease not renewed for longer than --orphan-timeout (5 s)");
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldBeEmpty("the manager still removed its rows");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    private LauncherProcess StartHeldCluster(ProcessLeakDetector leaks, BatchEmulatorFixture emulator, string table, string clusterId, string orphanTimeout) =>
        LauncherProcess.Start(
            leaks,
            ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
             "--silos", "2", "--cluster-id", clusterId, "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1",
             "--orphan-timeout", orphanTimeout, "--hold"],
            AwsBatchClusterTests.AwsEnvironment());

    [Fact]
    public async Task A_silo_that_starts_after_the_lease_was_marked_abandoned_stops_before_it_joins()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("abandoned");
        var clusterId = $"abandoned-{Guid.NewGuid():N}";
        var leaks = new ProcessLeakDetector();
        try
        {
            using var client = dynamo.CreateClient();
            await client.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
            {
                TableName = table,
                BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("ClusterId", Amazon.DynamoDBv2.KeyType.HASH), new("SiloIdentity", Amazon.DynamoDBv2.KeyType.RANGE)],
                AttributeDefinitions = [new("ClusterId", Amazon.DynamoDBv2.ScalarAttributeType.S), new("SiloIdentity", Amazon.DynamoDBv2.ScalarAttributeType.S)],
            }, TestContext.Current.CancellationToken);
            await client.PutItemAsync(table, new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>
            {
                ["ClusterId"] = new(clusterId),
                ["SiloIdentity"] = new("$lease"),
                ["Renewals"] = new() { N = "7" },
                ["RenewedAt"] = new() { N = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["OrphanTimeoutSeconds"] = new() { N = "60" },
                ["Holder"] = new("a manager that is gone"),
                ["Abandoned"] = new() { BOOL = true },
            }, TestContext.Current.CancellationToken);

            var started = Stopwatch.StartNew();
            await using var silo = LauncherProcess.Start(
                leaks,
                ["silo"],
                new Dictionary<string, string>(AwsBatchClusterTests.AwsEnvironment())
                {
                    ["OrleansBatch__ClusterId"] = clusterId,
                    ["OrleansBatch__Membership"] = "DynamoDB",
                    ["OrleansBatch__DynamoDB__TableName"] = table,
                    ["OrleansBatch__DynamoDB__ServiceUrl"] = dynamo.ServiceUrl,
                    ["OrleansBatch__Lease__OrphanTimeout"] = "00:01:00",
                });
            var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

            exitCode.ShouldNotBe(0, silo.StandardError);
            started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
            (silo.StandardOutput + silo.StandardError).ShouldContain("its lease is marked abandoned");
            (await dynamo.QueryPartitionAsync(table, clusterId)).ShouldAllBe(r => r["SiloIdentity"].S.StartsWith('$'), "the silo never wrote a membership row");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task A_killed_local_managers_cluster_is_orphaned_at_once_because_its_process_is_gone()
    {
        var temp = Directory.CreateTempSubdirectory("orleans-batch-tests-killed-");
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp.FullName };
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(leaks, ["--silos", "1", "--cluster-id", "killed-1", "--hold"], environment);
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));
            var (_, live, _) = await LauncherProcess.RunAsync(leaks, ["list", "--json"], TimeSpan.FromMinutes(1), environment);
            live.ShouldContain("\"orphaned\": false");

            await launcher.SignalAsync("KILL");
            await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));

            // Well inside the 60 s orphan timeout: the lease names a process on this host that no longer runs.
            var (exitCode, listed, stderr) = await LauncherProcess.RunAsync(leaks, ["list", "--json"], TimeSpan.FromMinutes(1), environment);
            exitCode.ShouldBe(0, stderr);
            listed.ShouldContain("\"orphaned\": true");
            listed.ShouldContain("lease holder gone: manager process");

            var (cleaned, output, cleanupErr) = await LauncherProcess.RunAsync(leaks, ["cleanup", "--cluster-id", "killed-1"], TimeSpan.FromMinutes(1), environment);
            cleaned.ShouldBe(0, cleanupErr);
            output.ShouldContain("killed-1");
            Directory.EnumerateFiles(Path.Combine(LocalStatePath.Under(temp.FullName), "membership"), "*.json").ShouldBeEmpty();
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            leaks.KillAll();
            temp.Delete(recursive: true);
        }
    }
}
