using System.Diagnostics;
using Orleans.Batch.BatchEmulator;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class HostingTests
{
    [Fact]
    public async Task Executable_prints_its_address_serves_the_API_and_admin_shutdown_kills_its_jobs()
    {
        // The emulator's own AWS_BATCH_* variables (as if it ran inside a Batch job) never reach a job.
        await using var emulator = await BatchEmulatorFixture.StartProcessAsync(
            scripts => ["--launcher", scripts.JobScript, "--transition-delay", "20ms", "--queue", "cli-queue", "--job-definition", "cli-job=any-image"],
            new Dictionary<string, string> { ["AWS_BATCH_JOB_ID"] = "outer-job" });
        emulator.BaseAddress.Host.ShouldBe("127.0.0.1");

        var envJob = await emulator.Batch.SubmitJobAsync(new { jobName = "env", jobQueue = "cli-queue", jobDefinition = "cli-job", containerOverrides = new { command = new[] { "env" } } });
        await emulator.Batch.WaitForStatusAsync(envJob, "SUCCEEDED");
        var environment = emulator.Scripts.EnvironmentOf(envJob);
        environment["AWS_BATCH_JOB_ID"].ShouldBe(envJob);
        environment["AWS_BATCH_CE_NAME"].ShouldBe("cli-queue-ce");

        var sleeper = await emulator.Batch.SubmitJobAsync(new { jobName = "sleeper", jobQueue = "cli-queue", jobDefinition = "cli-job", containerOverrides = new { command = new[] { "ignore-term" } } });
        await emulator.Batch.WaitForStatusAsync(sleeper, "RUNNING");
        var groups = (await emulator.Admin.JobsAsync()).Select(j => j!["processGroupId"]?.GetValue<int>()).OfType<int>().ToHashSet();

        var stopwatch = Stopwatch.StartNew();
        await emulator.Admin.ShutdownAsync();
        await emulator.EmulatorProcess!.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        emulator.EmulatorProcess.ExitCode.ShouldBe(0, emulator.EmulatorOutput);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "shutdown kills job processes instead of waiting for them");
        await ProcessTable.ShouldAllBeGoneAsync(p => groups.Contains(p.ProcessGroupId), TimeSpan.FromSeconds(5), "after admin shutdown");
    }

    [Fact]
    public async Task Executable_stops_gracefully_on_SIGTERM_and_kills_its_jobs()
    {
        await using var emulator = await BatchEmulatorFixture.StartProcessAsync(
            scripts => ["--launcher", scripts.JobScript, "--transition-delay", "20ms", "--queue", "q", "--job-definition", "j"]);
        var jobId = await emulator.Batch.SubmitJobAsync(new { jobName = "sleeper", jobQueue = "q", jobDefinition = "j", containerOverrides = new { command = new[] { "sleep", "300" } }, arrayProperties = new { size = 2 } });
        await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(jobId),
            p => p["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 2,
            TimeSpan.FromSeconds(20),
            "both children RUNNING");
        var groups = (await emulator.Admin.JobsAsync()).Select(j => j!["processGroupId"]?.GetValue<int>()).OfType<int>().ToHashSet();
        groups.Count.ShouldBe(2);

        using (var kill = Process.Start("kill", ["-TERM", emulator.EmulatorProcess!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await emulator.EmulatorProcess.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        emulator.EmulatorProcess.ExitCode.ShouldBe(0, emulator.EmulatorOutput);
        emulator.EmulatorOutput.ShouldContain("killing 2 job process(es)");
        await ProcessTable.ShouldAllBeGoneAsync(p => groups.Contains(p.ProcessGroupId), TimeSpan.FromSeconds(5), "after SIGTERM");
    }

    [Fact]
    public async Task Executable_with_an_invalid_setting_exits_with_an_error_naming_it()
    {
        var info = new ProcessStartInfo(BatchEmulatorFixture.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(typeof(BatchEmulatorHost).Assembly.Location);
        info.ArgumentList.Add("--launcher");
        info.ArgumentList.Add("/no/such/launcher");
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(2);
        stderr.ShouldContain("--launcher");
        stdout.ShouldNotContain(BatchEmulatorHost.ReadyLinePrefix);
    }

    [Fact]
    public async Task Disposing_an_in_process_emulator_kills_every_job_process_at_once()
    {
        var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.TerminationGracePeriod = TimeSpan.FromSeconds(30));
        await using (emulator)
        {
            await emulator.CreateQueueAsync();
            await emulator.RegisterDefinitionAsync();
            var parentId = await emulator.SubmitAsync(["ignore-term"], new { arrayProperties = new { size = 3 } });
            await Eventually.MatchesAsync(
                () => emulator.Batch.DescribeJobAsync(parentId),
                p => p["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 3,
                TimeSpan.FromSeconds(20),
                "three children RUNNING");
            await Eventually.MatchesAsync(() => Task.FromResult(emulator.Scripts.RecordedProcessIds().Count), c => c == 6, TimeSpan.FromSeconds(10), "each child started its sleep");

            var stopwatch = Stopwatch.StartNew();
            await emulator.DisposeAsync(); // asserts that nothing is left
            stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "processes that ignore SIGTERM are killed, not waited for");
        }
    }

    [Fact]
    public async Task Invalid_options_are_rejected_with_the_flag_name()
    {
        var port = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { Port = 70_000 }, TestContext.Current.CancellationToken));
        port.Message.ShouldContain("--port");
        var delay = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { TransitionDelay = TimeSpan.FromSeconds(-1) }, TestContext.Current.CancellationToken));
        delay.Message.ShouldContain("--transition-delay");
        var account = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { AccountId = "42" }, TestContext.Current.CancellationToken));
        account.Message.ShouldContain("--account-id");
        var containers = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { Containers = true, LauncherPath = typeof(BatchEmulatorHost).Assembly.Location }, TestContext.Current.CancellationToken));
        containers.Message.ShouldContain("--containers");
        var engine = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { Containers = true, ContainerEngine = "/no/such/engine" }, TestContext.Current.CancellationToken));
        engine.Message.ShouldContain("--container-engine");
        var dynamoDB = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { DynamoDBLocalDirectory = "/no/such/dir" }, TestContext.Current.CancellationToken));
        dynamoDB.Message.ShouldContain("--dynamodb-local");
        var exitWith = await Should.ThrowAsync<ArgumentException>(() => BatchEmulatorHost.StartAsync(new BatchEmulatorOptions { ExitWithProcessId = 0 }, TestContext.Current.CancellationToken));
        exitWith.Message.ShouldContain("--exit-with");
    }

    [Fact]
    public async Task An_emulator_told_to_exit_with_a_process_stops_its_jobs_when_that_process_ends()
    {
        using var watched = Process.Start(new ProcessStartInfo("sleep", ["600"]))!;
        var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.ExitWithProcessId = watched.Id);
        await using (emulator)
        {
            await emulator.CreateQueueAsync();
            await emulator.RegisterDefinitionAsync();
            var job = await emulator.SubmitAsync(["sleep", "600"]);
            await emulator.Batch.WaitForAnyStatusAsync(job, ["RUNNING"], TimeSpan.FromSeconds(20));

            watched.Kill();
            await watched.WaitForExitAsync(TestContext.Current.CancellationToken);
            await Eventually.MatchesAsync(
                () => Task.FromResult(emulator.Scripts.RecordedProcessIds().Any(pid => IsAlive(pid))),
                alive => !alive,
                TimeSpan.FromSeconds(20),
                "the job's processes are gone once the watched process has ended");
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
