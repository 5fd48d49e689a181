using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Application.Rehearsal;

/// <summary>
/// <c>--backend rehearsal</c>: the aws-batch path in one command. The manager starts the Batch emulator (with DynamoDB
/// Local beside it), runs the same launch against them, and stops both at the end, whatever way the run ends.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RehearsalTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task One_command_runs_the_demo_on_Batch_jobs_and_stops_the_emulator_and_DynamoDB_Local()
    {
        var leaks = new ProcessLeakDetector();
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--backend", "rehearsal", "--silos", "2"], TimeSpan.FromMinutes(3), await EnvironmentAsync());

        exitCode.ShouldBe(0, stderr);
        stdout.ShouldStartWith("Num silos: 2");
        stdout.ShouldContain("Silo 1: ");
        stderr.ShouldContain("Rehearsal: Batch emulator at http://127.0.0.1:");
        stderr.ShouldContain("1 TerminateJob for array job");
        await leaks.AssertNoneLeftAsync(); // the emulator, DynamoDB Local and every silo job
    }

    [Fact]
    public async Task A_killed_manager_still_takes_the_emulator_its_jobs_and_DynamoDB_Local_down()
    {
        var leaks = new ProcessLeakDetector();
        await using var launcher = LauncherProcess.Start(leaks, ["--backend", "rehearsal", "--silos", "2", "--hold"], await EnvironmentAsync());
        await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(3));
        leaks.FindProcesses().Count.ShouldBeGreaterThanOrEqualTo(5, "the manager, the emulator, DynamoDB Local and two silos run");

        await launcher.SignalAsync("KILL");
        (await leaks.WaitUntilNoneLeftAsync(TimeSpan.FromSeconds(45))).ShouldBeEmpty("the emulator did not stop its jobs and DynamoDB Local after the manager was killed");
    }

    [Fact]
    public async Task Without_DynamoDB_Local_it_says_how_to_get_it_and_starts_nothing()
    {
        var leaks = new ProcessLeakDetector();
        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(
            leaks, ["--backend", "rehearsal"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["DYNAMODB_LOCAL_DIR"] = "", ["DYNAMODB_ENDPOINT"] = "" });

        exitCode.ShouldBe(2, stderr);
        stderr.Trim().ShouldStartWith("error: --backend rehearsal needs DynamoDB Local: set DYNAMODB_LOCAL_DIR");
        stderr.ShouldNotContain("Launching");
        await leaks.AssertNoneLeftAsync();
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        return DynamoDBLocalFixture.RehearsalEnvironment();
    }
}
