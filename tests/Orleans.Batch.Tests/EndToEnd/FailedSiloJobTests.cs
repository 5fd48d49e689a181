using System.Diagnostics;
using Orleans.Batch.Tests.Infrastructure;
using static Orleans.Batch.Tests.Application.Commands.DynamoDBListAndCleanupTests;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// When silo jobs fail, the manager says why (status reason, exit code) and prints the exact <c>logs</c> command for
/// each; running that command prints the job's output.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class FailedSiloJobTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public async Task A_failed_silo_job_is_reported_with_its_reason_exit_code_and_logs_command_that_works()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await dynamo.StartAsync(cancellationToken);

        // The definition's "image" is the test job script: it does not know the silo role, says so and exits 64.
        // With a minimum of 1 the manager gives up only once both have failed, so both are reported.
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();
        var table = DynamoDBLocalFixture.UniqueTableName("failed");
        var leaks = new ProcessLeakDetector();
        try
        {
            var (exitCode, _, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["--backend", "aws-batch", "--queue", BatchEmulatorFixture.DefaultQueue, "--definition", BatchEmulatorFixture.DefaultDefinition,
                 "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--min-silos", "1", "--region", "us-east-1", "--timeout", "90s"],
                TimeSpan.FromMinutes(3),
                AwsEnvironment());

            exitCode.ShouldBe(1, stderr);
            var lines = Lines(stderr);
            lines.ShouldContain("The failed silo jobs' logs:");
            for (var index = 0; index < 2; index++)
            {
                // Why it failed: the job's status reason and exit code.
                var failure = lines.Single(l => l.StartsWith($"silo {index} (", StringComparison.Ordinal) && l.Contains("): failed", StringComparison.Ordinal));
                failure.ShouldContain("failed (Essential container in task exited; exit code 64)");
                var jobId = failure[$"silo {index} (".Length..failure.IndexOf(')', StringComparison.Ordinal)];
                jobId.ShouldEndWith($":{index}");

                // How to see its log: the exact command.
                var command = lines.Single(l => l.StartsWith($"silo {index}: ", StringComparison.Ordinal));
                var words = command[$"silo {index}: ".Length..].Split(' ');
                words[^6..].ShouldBe(["logs", jobId, "--region", "us-east-1", "--batch-endpoint", emulator.BaseAddress.ToString()]);

                var (logsExit, output) = await RunAsync(words);
                logsExit.ShouldBe(0, output);
                output.ShouldContain("unknown mode 'silo'");
            }

            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] words)
    {
        var start = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var word in words[1..])
        {
            start.ArgumentList.Add(word);
        }

        foreach (var (name, value) in AwsEnvironment())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
