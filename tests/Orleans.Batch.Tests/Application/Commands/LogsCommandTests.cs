using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;
using static Orleans.Batch.Tests.Application.Commands.DynamoDBListAndCleanupTests;

namespace Orleans.Batch.Tests.Application.Commands;

/// <summary><c>logs</c>: the Launcher reading job logs from the Batch emulator's CloudWatch Logs endpoint.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LogsCommandTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prints_a_jobs_log_lines_in_order()
    {
        await using var emulator = await StartAsync();
        string[] printed = ["first line", "second line", "  indented third", "fourth"];
        var jobId = await emulator.SubmitAsync(["print", .. printed]);
        await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["logs", jobId, "--batch-endpoint", emulator.BaseAddress.ToString()], Run, AwsEnvironment());

        exitCode.ShouldBe(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Where(l => l != "stderr-line").ShouldBe(printed);
        lines.ShouldContain("stderr-line");
        lines.ShouldBe(await emulator.LogLinesAsync(jobId), "exactly the stream's events, in the stream's order");
        stderr.ShouldStartWith($"Log of job {jobId} (test-job, SUCCEEDED): group /aws/batch/job, stream test-job/default/");
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task Prints_an_array_childs_log_and_says_where_the_logs_of_an_array_parent_are()
    {
        await using var emulator = await StartAsync();
        var parent = await emulator.SubmitAsync(["print", "from a child"], new { arrayProperties = new { size = 2 } });
        await emulator.Batch.WaitForStatusAsync(parent, "SUCCEEDED");
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["logs", $"{parent}:1", "--batch-endpoint", emulator.BaseAddress.ToString()], Run, AwsEnvironment());
        exitCode.ShouldBe(0, stderr);
        stdout.ShouldContain("from a child");

        (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["logs", parent, "--batch-endpoint", emulator.BaseAddress.ToString()], Run, AwsEnvironment());
        exitCode.ShouldBe(1, stderr);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldBe($"error: job {parent} is an array job of 2 children; each child has its own log ({parent}:0 to {parent}:1)");
    }

    [Fact]
    public async Task An_unknown_job_is_one_line_and_exit_code_1()
    {
        await using var emulator = await StartAsync();
        var unknown = Guid.NewGuid().ToString();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), ["logs", unknown, "--batch-endpoint", emulator.BaseAddress.ToString()], Run, AwsEnvironment());

        exitCode.ShouldBe(1, stderr);
        stdout.ShouldBeEmpty();
        Lines(stderr).ShouldBe([$"error: AWS Batch does not know job {unknown} in us-east-1 (check the id, --region and --batch-endpoint)"]);
        (await emulator.Admin.CallsAsync("GetLogEvents")).ShouldBe(0);
    }

    [Fact]
    public async Task A_job_that_has_not_started_has_no_log_stream_yet_and_says_so()
    {
        await using var emulator = await StartAsync();
        await emulator.Admin.PatchQueueAsync(BatchEmulatorFixture.DefaultQueue, new { stuckReason = "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - waiting for capacity" });
        var jobId = await emulator.SubmitAsync(["print", "never"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "RUNNABLE");

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), ["logs", jobId, "--batch-endpoint", emulator.BaseAddress.ToString()], Run, AwsEnvironment());

        exitCode.ShouldBe(1, stderr);
        stdout.ShouldBeEmpty();
        Lines(stderr).ShouldBe([$"error: job {jobId} is RUNNABLE and has no log stream yet: it gets one when its container starts"]);
        (await emulator.Batch.CallAsync("TerminateJob", new { jobId, reason = "test over" })).Ok();
    }

    [Fact]
    public async Task A_logs_service_failure_is_one_line_and_exit_code_1()
    {
        await using var emulator = await StartAsync();
        var jobId = await emulator.SubmitAsync(["print", "x"]);
        await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");
        await emulator.Admin.AddFaultAsync("server-error", "GetLogEvents", count: 5);

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), ["logs", jobId, "--batch-endpoint", emulator.BaseAddress.ToString()], Run, AwsEnvironment());

        exitCode.ShouldBe(1, stderr);
        stdout.ShouldBeEmpty();
        var lines = Lines(stderr);
        lines.Length.ShouldBe(2, stderr);
        lines[1].ShouldStartWith("error: CloudWatch Logs GetLogEvents failed after 5 attempts: ServiceUnavailableException: ");
    }

    [Fact]
    public async Task Prints_a_local_silos_kept_log_file()
    {
        var clusterId = "ob-test-" + Guid.NewGuid().ToString("N")[..8];
        var directory = Orleans.Batch.Hosting.LocalState.LocalStateDirectory.RunDirectoryOf(clusterId);
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "logs", "silo-3.log"), "silo line 1\nsilo line 2\n", TestContext.Current.CancellationToken);
            var leaks = new ProcessLeakDetector();

            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["logs", clusterId, "3"], Run);
            exitCode.ShouldBe(0, stderr);
            stdout.ShouldBe("silo line 1\nsilo line 2\n");

            (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["logs", clusterId, "4"], Run);
            exitCode.ShouldBe(1, stderr);
            Lines(stderr).ShouldBe([$"error: no log of silo 4 of local cluster {clusterId} at {Path.Combine(directory, "logs", "silo-4.log")} (local silo logs are kept only when a run fails)"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<BatchEmulatorFixture> StartAsync()
    {
        var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        return emulator;
    }
}
