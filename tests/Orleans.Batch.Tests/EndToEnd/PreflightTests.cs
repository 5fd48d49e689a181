using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// The launch refuses what would wait forever, before it submits anything, and the <c>preflight</c> command shows every
/// check on its own (a table, or JSON), with exit 0 when nothing blocks a launch and 2 when something does.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PreflightTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task A_launch_on_a_queue_without_a_valid_compute_environment_exits_2_naming_it_and_submits_nothing()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.PatchQueueAsync("silo-queue", new { ceState = "DISABLED" });
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
            leaks,
            ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl,
             "--silos", "2", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1"],
            TimeSpan.FromMinutes(2),
            AwsBatchClusterTests.AwsEnvironment());

        exitCode.ShouldBe(2, stderr);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldBe("error: job queue silo-queue has no compute environment that is ENABLED and VALID (silo-queue-ce is DISABLED): enable or repair one");
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(0);
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task A_launch_that_fits_only_partly_says_so_and_goes_ahead()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        await emulator.Admin.PatchQueueAsync("silo-queue", new { ceMaxvCpus = 1 });
        var table = DynamoDBLocalFixture.UniqueTableName("preflight");
        var leaks = new ProcessLeakDetector();
        try
        {
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--min-silos", "1", "--timeout", "20s", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1"],
                TimeSpan.FromMinutes(2),
                AwsBatchClusterTests.AwsEnvironment());

            exitCode.ShouldBe(0, stderr);
            stderr.ShouldContain("the compute environments of silo-queue run at most 1 of the 2 silos at once");
            stdout.ShouldStartWith("Num silos: 1");
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Fact]
    public async Task The_preflight_command_prints_every_check_and_exits_0_or_2()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync();
        var leaks = new ProcessLeakDetector();
        string[] arguments = ["preflight", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl,
            "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1", "--silos", "4"];

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, arguments, TimeSpan.FromMinutes(1), AwsBatchClusterTests.AwsEnvironment());
        exitCode.ShouldBe(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Select(l => l.Split(' ', 3)[2].Split(" (")[0]).ShouldBe(["job queue", "job definition", "compute environments", "platform", "silo size", "capacity", "queue backlog", "architecture", "membership table"], stdout);
        lines.ShouldAllBe(l => l.StartsWith("ok  ", StringComparison.Ordinal));

        await emulator.Admin.PatchQueueAsync("silo-queue", new { status = "INVALID", statusReason = "a test broke it" });
        var (failedExit, json, _) = await LauncherProcess.RunAsync(leaks, [.. arguments, "--json"], TimeSpan.FromMinutes(1), AwsBatchClusterTests.AwsEnvironment());
        failedExit.ShouldBe(2, json);
        var report = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        report["blocksLaunch"]!.GetValue<bool>().ShouldBeTrue();
        report["checks"]!.AsArray().First()!["outcome"]!.GetValue<string>().ShouldBe("failed");
        report["checks"]!.AsArray().First()!["message"]!.GetValue<string>().ShouldContain("INVALID (a test broke it)");
        (await emulator.Admin.CallsAsync("SubmitJob")).ShouldBe(0);
        await leaks.AssertNoneLeftAsync();
    }
}
