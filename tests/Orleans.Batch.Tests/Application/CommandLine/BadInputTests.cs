using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Application.CommandLine;

/// <summary>Bad command lines: one line naming the flag, exit code 2, nothing started.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("--silos 0", "--silos")]
    [InlineData("--silos -3", "--silos")]
    [InlineData("--silos abc", "--silos")]
    [InlineData("--silos 5:2", "--silos")]
    [InlineData("--silos 10001", "--silos")]
    [InlineData("--frobnicate", "--frobnicate")]
    [InlineData("--timeout -5", "--timeout")]
    [InlineData("--timeout soon", "--timeout")]
    [InlineData("--min-silos 5 --silos 2", "--min-silos")]
    [InlineData("--min-silos 0", "--min-silos")]
    [InlineData("--scale adaptive --silos 2", "--scale")]
    [InlineData("--scale-cooldown 5s --silos 1:2", "--scale-cooldown")]
    [InlineData("--replace-lost -1", "--replace-lost")]
    [InlineData("--backend kubernetes", "--backend")]
    [InlineData("--backend rehearsal --queue q", "--queue")]
    [InlineData("--backend rehearsal --dynamodb-endpoint http://127.0.0.1:1", "--dynamodb-endpoint")]
    [InlineData("--containers img", "--containers")]
    [InlineData("--backend rehearsal --silos 500", "--silos")]
    [InlineData("--workload nope", "--workload")]
    [InlineData("--silo-logs loud", "--silo-logs")]
    [InlineData("--region us_east_1", "--region")]
    [InlineData("--backend aws-batch --definition d", "--queue")]
    [InlineData("--backend aws-batch --queue q", "--definition")]
    [InlineData("--definition d", "--definition")]
    [InlineData("--batch-endpoint ftp://x --queue q --definition d", "--batch-endpoint")]
    [InlineData("--dynamodb-endpoint not-a-url", "--dynamodb-endpoint")]
    [InlineData("--table a", "--table")]
    [InlineData("--max-runtime 30s --queue q --definition d", "--max-runtime")]
    [InlineData("--vcpus 0 --queue q --definition d", "--vcpus")]
    [InlineData("--orphan-timeout 1s", "--orphan-timeout")]
    [InlineData("--workload montecarlo -o samples=-1", "--workload-option")]
    [InlineData("--workload montecarlo -o colour=blue", "--workload-option")]
    public async Task Rejects_bad_input_with_one_line_exit_code_2_and_nothing_started(string commandLine, string flag)
    {
        var error = await UsageErrorAssertions.ShouldBeRejectedAsync(commandLine, flag);

        error.ShouldNotContain("Launching");
    }

    [Fact]
    public async Task Help_documents_every_flag()
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, _) = await LauncherProcess.RunAsync(leaks, ["--help"], TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(0);
        foreach (var flag in new[] { "--silos", "--min-silos", "--replace-lost", "--scale", "--scale-cooldown", "--timeout", "--backend", "--queue", "--workload", "--silo-logs", "--hold", "--cluster-id", "silo" })
        {
            stdout.ShouldContain(flag);
        }
    }
}
