using Orleans.Batch.BatchEmulator;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class JobProcessTests
{
    [Fact]
    public async Task Job_process_sees_the_emulator_environment_the_definition_the_overrides_and_Batch_variables()
    {
        // The emulator's own environment stands for the job role's credentials: the job inherits it.
        var marker = "EMULATOR_TEST_MARKER_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(marker, "inherited");
        try
        {
            await using var emulator = await BatchEmulatorFixture.StartAsync();
            await emulator.CreateQueueAsync(settings: new { computeEnvironment = "my-ce" });
            await emulator.RegisterDefinitionAsync(environment: new[]
            {
                new { name = "FROM_DEFINITION", value = "definition" },
                new { name = "OVERRIDDEN", value = "definition" },
            });
            var jobId = await emulator.SubmitAsync(["env", "first arg", "second"], new
            {
                containerOverrides = new { environment = new[] { new { name = "OVERRIDDEN", value = "override" }, new { name = "FROM_OVERRIDE", value = "override" } } },
                tags = new Dictionary<string, string> { ["OrleansBatch:ClusterId"] = "cluster-1", ["team"] = "orleans" },
            });

            var job = await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");

            var environment = emulator.Scripts.EnvironmentOf(jobId);
            environment[marker].ShouldBe("inherited");
            environment["FROM_DEFINITION"].ShouldBe("definition");
            environment["OVERRIDDEN"].ShouldBe("override");
            environment["FROM_OVERRIDE"].ShouldBe("override");
            environment["AWS_BATCH_JOB_ID"].ShouldBe(jobId);
            environment["AWS_BATCH_JOB_ATTEMPT"].ShouldBe("1");
            environment["AWS_BATCH_JQ_NAME"].ShouldBe(BatchEmulatorFixture.DefaultQueue);
            environment["AWS_BATCH_CE_NAME"].ShouldBe("my-ce");
            environment.ShouldNotContainKey("AWS_BATCH_JOB_ARRAY_INDEX");
            environment.ShouldNotContainKey("AWS_BATCH_JOB_ARRAY_SIZE");
            emulator.Scripts.ArgumentsOf(jobId).ShouldBe(["first arg", "second"]);

            // DescribeJobs shows the user environment and the command, not Batch's own variables.
            var shownEnvironment = job["container"]!["environment"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
            shownEnvironment.ShouldBe(new Dictionary<string, string> { ["FROM_DEFINITION"] = "definition", ["OVERRIDDEN"] = "override", ["FROM_OVERRIDE"] = "override" }, ignoreOrder: true);
            job["container"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["env", "first arg", "second"]);
            job["container"]!["image"]!.GetValue<string>().ShouldBe(BatchEmulatorFixture.JobImage);
            job["tags"]!["OrleansBatch:ClusterId"]!.GetValue<string>().ShouldBe("cluster-1");
            job["tags"]!["team"]!.GetValue<string>().ShouldBe("orleans");
        }
        finally
        {
            Environment.SetEnvironmentVariable(marker, null);
        }
    }

    [Fact]
    public async Task Job_without_command_override_runs_the_definition_command_with_parameters_substituted()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync(command: ["env", "Ref::greeting", "plain"], extra: new { parameters = new { greeting = "hello" } });
        var jobId = await emulator.Batch.SubmitJobAsync(new { jobName = "no-override", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = BatchEmulatorFixture.DefaultDefinition, parameters = new { greeting = "bonjour" } });

        await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED");

        emulator.Scripts.ArgumentsOf(jobId).ShouldBe(["bonjour", "plain"]);
    }

    [Theory]
    [InlineData(0, "SUCCEEDED")]
    [InlineData(7, "FAILED")]
    public async Task Exit_code_decides_the_final_status(int exitCode, string status)
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["exit", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var job = await emulator.Batch.WaitForAnyStatusAsync(jobId, ["SUCCEEDED", "FAILED"]);

        job["status"]!.GetValue<string>().ShouldBe(status);
        job["statusReason"]!.GetValue<string>().ShouldBe("Essential container in task exited");
        job["container"]!["exitCode"]!.GetValue<int>().ShouldBe(exitCode);
        job["isTerminated"]!.GetValue<bool>().ShouldBeFalse();
        job["attempts"]!.AsArray().Single()!["container"]!["exitCode"]!.GetValue<int>().ShouldBe(exitCode);
        (await emulator.LogLinesAsync(jobId)).ShouldContain($"exiting with {exitCode}");
    }

    [Fact]
    public async Task Launcher_dll_runs_with_dotnet()
    {
        // The emulator's own dll is a handy .NET launcher: "--help" prints usage and exits 0.
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.LauncherPath = typeof(BatchEmulatorHost).Assembly.Location);
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["--help"]);

        await emulator.Batch.WaitForStatusAsync(jobId, "SUCCEEDED", TimeSpan.FromSeconds(60));

        (await emulator.LogLinesAsync(jobId)).ShouldContain(line => line.Contains("--launcher", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Image_launcher_takes_precedence_and_a_missing_launcher_fails_the_job_to_start()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, scripts) =>
        {
            o.LauncherPath = null;
            o.ImageLaunchers["mapped:1"] = scripts.JobScript;
        });
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        await emulator.Batch.CallAsync("RegisterJobDefinition", new { jobDefinitionName = "mapped", type = "container", containerProperties = new { image = "mapped:1" } });

        var mapped = await emulator.SubmitAsync(["exit", "0"], definition: "mapped");
        var unmapped = await emulator.SubmitAsync(["exit", "0"]);

        await emulator.Batch.WaitForStatusAsync(mapped, "SUCCEEDED");
        var failed = await emulator.Batch.WaitForStatusAsync(unmapped, "FAILED");
        failed["statusReason"]!.GetValue<string>().ShouldBe("Task failed to start");
        failed["container"]!["reason"]!.GetValue<string>().ShouldStartWith("CannotStartContainerError:");
    }
}
