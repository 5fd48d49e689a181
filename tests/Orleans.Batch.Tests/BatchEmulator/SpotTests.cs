using System.Net;
using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

/// <summary>
/// Spot in the emulator: retryStrategy.evaluateOnExit as Batch documents it, the reclamation of a job's instance,
/// and the interruption notice in the job's own instance metadata.
/// </summary>
public sealed class SpotTests
{
    private static object Retry(int attempts, params object[] evaluateOnExit) => new { retryStrategy = new { attempts, evaluateOnExit } };

    [Theory]
    [InlineData("75", 3, "RETRY matched: tried again until the attempts run out")]
    [InlineData("3", 1, "EXIT matched (onReason *): not tried again")]
    public async Task Evaluate_on_exit_decides_by_the_first_matching_condition(string exitCode, int attempts, string why)
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var jobId = await emulator.SubmitAsync(["exit", exitCode], Retry(3, new { onExitCode = "75", action = "RETRY" }, new { onReason = "*", action = "exit" }));
        var job = await emulator.Batch.WaitForAnyStatusAsync(jobId, ["SUCCEEDED", "FAILED"]);

        job["status"]!.GetValue<string>().ShouldBe("FAILED");
        job["attempts"]!.AsArray().Count.ShouldBe(attempts, why);
    }

    [Fact]
    public async Task A_failed_attempt_that_no_condition_matches_is_retried()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var jobId = await emulator.SubmitAsync(["exit", "3"], Retry(2, new { onExitCode = "9*", action = "EXIT" }));
        var job = await emulator.Batch.WaitForAnyStatusAsync(jobId, ["SUCCEEDED", "FAILED"]);

        job["attempts"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_invalid_pattern_is_a_ClientException()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var response = await emulator.Batch.CallAsync("SubmitJob", new
        {
            jobName = "j",
            jobQueue = BatchEmulatorFixture.DefaultQueue,
            jobDefinition = BatchEmulatorFixture.DefaultDefinition,
            retryStrategy = new { attempts = 2, evaluateOnExit = new[] { new { onStatusReason = "Host EC2 (*", action = "RETRY" } } },
        });

        response.ShouldFailWith(HttpStatusCode.BadRequest, "ClientException").ShouldContain("onStatusReason");
    }

    [Fact]
    public async Task A_reclaimed_instance_ends_the_attempt_with_the_host_reason_and_evaluate_on_exit_retries_it()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.TerminationGracePeriod = TimeSpan.FromSeconds(5));
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var jobId = await emulator.SubmitAsync(["sleep", "300"], Retry(2, new { onStatusReason = "Host EC2*", action = "RETRY" }, new { onReason = "*", action = "EXIT" }));
        await WaitUntilSleepingAsync(emulator, jobId);

        await emulator.Admin.ReclaimAsync(jobId);

        // The same job id runs again as attempt 2; attempt 1 ended because its host went away.
        var retried = await Eventually.MatchesAsync(
            () => emulator.Batch.DescribeJobAsync(jobId),
            j => j["status"]!.GetValue<string>() == "RUNNING" && j["attempts"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(60),
            "the job runs again");
        var first = retried["attempts"]!.AsArray()[0]!;
        first["statusReason"]!.GetValue<string>().ShouldMatch(@"^Host EC2 \(instance i-[0-9a-f]{17}\) terminated\.$");
        first["container"]!["exitCode"]!.GetValue<int>().ShouldBe(0, "the script exits 0 on SIGTERM: the attempt still failed");

        // A second reclamation finds no attempt left: the job fails with the host's reason.
        await emulator.Admin.ReclaimAsync(jobId);
        var failed = await emulator.Batch.WaitForAnyStatusAsync(jobId, ["SUCCEEDED", "FAILED"]);
        failed["status"]!.GetValue<string>().ShouldBe("FAILED");
        failed["statusReason"]!.GetValue<string>().ShouldStartWith("Host EC2 (instance i-");
    }

    [Fact]
    public async Task A_job_reads_a_spot_notice_from_its_own_instance_metadata_and_is_reclaimed_when_it_says()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) => o.TerminationGracePeriod = TimeSpan.FromSeconds(5));
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        // Every job is told where its instance metadata is.
        var envJob = await emulator.SubmitAsync(["env"]);
        await emulator.Batch.WaitForStatusAsync(envJob, "SUCCEEDED", TimeSpan.FromSeconds(60));
        var environment = File.ReadAllLines(Path.Combine(emulator.Scripts.OutputDirectory, envJob + ".env"));
        environment.ShouldContain($"AWS_EC2_METADATA_SERVICE_ENDPOINT={emulator.BaseAddress}_imds/{envJob}/");

        var jobId = await emulator.SubmitAsync(["sleep", "300"], Retry(1));
        await WaitUntilSleepingAsync(emulator, jobId);
        using var imds = new HttpClient { BaseAddress = new Uri(emulator.BaseAddress, $"_imds/{jobId}/") };

        // IMDSv2: no token, no answer; with one, 404 until the notice.
        (await imds.GetAsync("latest/meta-data/spot/instance-action", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, "latest/api/token") { Headers = { { "X-aws-ec2-metadata-token-ttl-seconds", "60" } } };
        var token = await (await imds.SendAsync(tokenRequest, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        imds.DefaultRequestHeaders.Add("X-aws-ec2-metadata-token", token);
        (await imds.GetAsync("latest/meta-data/spot/instance-action", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await imds.GetStringAsync("latest/meta-data/local-ipv4", TestContext.Current.CancellationToken)).ShouldBe("127.0.0.1");

        await emulator.Admin.SpotNoticeAsync(jobId, reclaimAfter: TimeSpan.FromSeconds(2));

        var notice = JsonNode.Parse(await imds.GetStringAsync("latest/meta-data/spot/instance-action", TestContext.Current.CancellationToken))!;
        notice["action"]!.GetValue<string>().ShouldBe("terminate");
        DateTimeOffset.Parse(notice["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var ended = await emulator.Batch.WaitForAnyStatusAsync(jobId, ["SUCCEEDED", "FAILED"]);
        ended["statusReason"]!.GetValue<string>().ShouldStartWith("Host EC2 (instance i-");
        (await emulator.LogLinesAsync(jobId)).ShouldContain("got SIGTERM");
    }

    // The script handles SIGTERM once it says it sleeps: before that a SIGTERM would end it with 143.
    private static async Task WaitUntilSleepingAsync(BatchEmulatorFixture emulator, string jobId)
    {
        await emulator.Batch.WaitForStatusAsync(jobId, "RUNNING", TimeSpan.FromSeconds(60));
        await Eventually.MatchesAsync(() => emulator.LogLinesAsync(jobId), lines => lines.Contains("sleeping 300"), TimeSpan.FromSeconds(30), "the job sleeps");
    }
}
