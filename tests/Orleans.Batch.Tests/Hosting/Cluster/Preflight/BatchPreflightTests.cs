using System.Text.Json.Nodes;
using Amazon.Runtime;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Preflight;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Cluster.Preflight;

/// <summary>
/// The checks before a launch, against the Batch emulator's queues, compute environments and job definitions over
/// real HTTP: each refusal names the resource and the fix; each warning says what will happen.
/// </summary>
public sealed class BatchPreflightTests : IAsyncLifetime
{
    private const string Queue = "preflight-queue";
    private const string Definition = "preflight-def";
    private BatchEmulatorFixture _emulator = null!;
    private AwsBatchClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _emulator = await BatchEmulatorFixture.StartAsync();
        await _emulator.CreateQueueAsync(Queue);
        await _emulator.RegisterDefinitionAsync(Definition);
        _client = _emulator.CreateAwsBatchClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_healthy_queue_and_definition_pass_every_check()
    {
        var report = await RunAsync(silos: 4);

        report.BlocksLaunch.ShouldBeFalse();
        report.Checks.Select(c => c.Check).ShouldBe(["job queue", "job definition", "compute environments", "platform", "silo size", "capacity", "queue backlog", "architecture"]);
        report.Checks.ShouldAllBe(c => c.Outcome == PreflightOutcome.Passed);
    }

    [Fact]
    public async Task A_missing_queue_is_refused_naming_it()
    {
        var report = await RunAsync(queue: "no-such-queue");

        Failure(report).ShouldStartWith("job queue 'no-such-queue' does not exist");
    }

    [Fact]
    public async Task A_disabled_queue_is_refused_with_the_command_that_enables_it()
    {
        await _emulator.Admin.PatchQueueAsync(Queue, new { state = "DISABLED" });

        Failure(await RunAsync()).ShouldBe($"job queue {Queue} is DISABLED and accepts no jobs: aws batch update-job-queue --job-queue {Queue} --state ENABLED");
    }

    [Fact]
    public async Task An_invalid_queue_is_refused_with_its_status_reason()
    {
        await _emulator.Admin.PatchQueueAsync(Queue, new { status = "INVALID", statusReason = "CLIENT_ERROR - compute environment deleted" });

        Failure(await RunAsync()).ShouldContain("INVALID (CLIENT_ERROR - compute environment deleted)");
    }

    [Fact]
    public async Task A_queue_without_a_valid_enabled_compute_environment_is_refused_naming_the_environment_and_its_reason()
    {
        await _emulator.Admin.PatchQueueAsync(Queue, new { ceStatus = "INVALID", ceStatusReason = "CLIENT_ERROR - the service role is missing" });

        Failure(await RunAsync()).ShouldBe($"job queue {Queue} has no compute environment that is ENABLED and VALID ({Queue}-ce is INVALID: CLIENT_ERROR - the service role is missing): enable or repair one");
    }

    [Fact]
    public async Task A_definition_without_an_active_revision_is_refused()
    {
        Failure(await RunAsync(definition: "no-such-def")).ShouldStartWith("job definition 'no-such-def' has no ACTIVE revision");
    }

    [Fact]
    public async Task A_fargate_definition_on_an_EC2_queue_is_refused()
    {
        await RegisterAsync("fargate-def", new JsonArray("FARGATE"), vcpus: "1", memory: "2048");

        Failure(await RunAsync(definition: "fargate-def")).ShouldBe(
            $"job definition fargate-def runs on FARGATE, but the compute environments of {Queue} are {Queue}-ce (EC2): use a queue with FARGATE compute environments or a job definition for theirs");
    }

    [Fact]
    public async Task A_silo_larger_than_any_compute_environment_is_refused()
    {
        await _emulator.Admin.PatchQueueAsync(Queue, new { ceMaxvCpus = 4 });

        Failure(await RunAsync(vcpus: 8)).ShouldBe(
            $"one silo asks for 8 vCPU, 512 MiB, more than any compute environment of {Queue} can give (the largest maxvCpus is 4): lower --vcpus or raise maxvCpus");
    }

    [Fact]
    public async Task A_size_Fargate_does_not_offer_is_refused()
    {
        await _emulator.Admin.PatchQueueAsync(Queue, new { ceType = "FARGATE" });
        await RegisterAsync("fargate-def", new JsonArray("FARGATE"), vcpus: "1", memory: "2048");

        (await RunAsync(definition: "fargate-def")).BlocksLaunch.ShouldBeFalse();
        Failure(await RunAsync(definition: "fargate-def", memory: 1000)).ShouldStartWith("one silo asks for 1 vCPU, 1000 MiB, which is not a Fargate size");
    }

    [Fact]
    public async Task Capacity_for_only_some_silos_a_backlog_and_mixed_architectures_are_warnings_that_do_not_block()
    {
        await _emulator.Admin.PatchQueueAsync(Queue, new { ceMaxvCpus = 4, ceInstanceTypes = new[] { "c7g.large", "m5.large" }, stuckReason = "held by the test" });
        await _emulator.SubmitAsync(["exit", "0"], queue: Queue, definition: Definition);
        await Eventually.MatchesAsync(() => _emulator.Admin.QueuesAsync(), q => q[0]!["waitingJobs"]!.GetValue<int>() == 1, TimeSpan.FromSeconds(10), "one job waits in RUNNABLE");

        var report = await RunAsync(silos: 6, vcpus: 2);

        report.BlocksLaunch.ShouldBeFalse();
        report.Warnings.Select(w => w.Message).ShouldBe(
        [
            $"the compute environments of {Queue} run at most 2 of the 6 silos at once (maxvCpus 4 in all, 2 per silo): the rest wait in RUNNABLE; raise maxvCpus, or lower --silos or --vcpus",
            $"1 job(s) are already waiting in {Queue} ahead of these silos: they may start later",
            $"job queue {Queue} mixes arm64 ({Queue}-ce: c7g.large) and x86-64 ({Queue}-ce: m5.large) instances: an image built for one fails on the other; build both (deploy/scripts/build-image.sh --platform linux/amd64,linux/arm64)",
        ]);
    }

    private Task<PreflightReport> RunAsync(string queue = Queue, string definition = Definition, int silos = 2, double? vcpus = null, int? memory = null) =>
        BatchPreflight.RunAsync(_client, new PreflightRequest(queue, definition, silos, vcpus, memory, null), TestContext.Current.CancellationToken);

    private static string Failure(PreflightReport report)
    {
        report.BlocksLaunch.ShouldBeTrue(string.Join("\n", report.Checks));
        return report.Failures.First().Message;
    }

    private async Task RegisterAsync(string name, JsonArray platforms, string vcpus, string memory) =>
        (await _emulator.Batch.CallAsync("RegisterJobDefinition", new JsonObject
        {
            ["jobDefinitionName"] = name,
            ["type"] = "container",
            ["platformCapabilities"] = platforms,
            ["containerProperties"] = new JsonObject
            {
                ["image"] = "img",
                ["resourceRequirements"] = new JsonArray(new JsonObject { ["type"] = "VCPU", ["value"] = vcpus }, new JsonObject { ["type"] = "MEMORY", ["value"] = memory }),
            },
        }.ToJsonString())).Ok();
}
