using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Application.Commands;

/// <summary><c>list</c>, <c>cleanup</c> and <c>logs</c> reject bad input like the manager: one line naming the flag, exit code 2.</summary>
public sealed class CommandBadInputTests
{
    [Theory]
    [InlineData("list --table x", "--table")]
    [InlineData("list --table bad/name", "--table")]
    [InlineData("list --dynamodb-endpoint ftp://host", "--dynamodb-endpoint")]
    [InlineData("list --region Not_A_Region", "--region")]
    [InlineData("list --queue bad!queue", "--queue")]
    [InlineData("list --batch-endpoint http://127.0.0.1:1", "--batch-endpoint")]
    [InlineData("list --local-dir /tmp/x --table OrleansBatchMembership", "--local-dir")]
    [InlineData("list --local-dir /tmp/x --queue q", "--local-dir")]
    [InlineData("list --frobnicate", "--frobnicate")]
    [InlineData("cleanup --queue q --batch-endpoint not-a-url", "--batch-endpoint")]
    [InlineData("cleanup --dry-run --region x_y", "--region")]
    [InlineData("cleanup --local-dir /tmp/x --dynamodb-endpoint http://127.0.0.1:1", "--local-dir")]
    [InlineData("cleanup --json", "--json")]
    [InlineData("logs", "job-id")]
    [InlineData("logs bad/id", "job-id")]
    [InlineData("logs job-1 two", "silo-index")]
    [InlineData("logs job-1 -1", "-1")]
    [InlineData("logs job-1 --logs-endpoint nope", "--logs-endpoint")]
    [InlineData("logs job-1 --region EU", "--region")]
    [InlineData("logs cluster-1 0 --batch-endpoint http://127.0.0.1:1", "--batch-endpoint")]
    // No AWS configuration at all: a command that got past validation would fail differently (exit 1).
    public Task Rejects_bad_input_with_one_line_exit_code_2_and_nothing_done(string commandLine, string named) =>
        UsageErrorAssertions.ShouldBeRejectedAsync(commandLine, named);

    [Fact]
    public async Task Rejects_an_empty_local_directory()
    {
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), ["cleanup", "--local-dir", ""], TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(2, stderr);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldBe("error: --local-dir must be a directory path, got ''");
    }

    [Theory]
    [InlineData("list", new[] { "--local-dir", "--table", "--dynamodb-endpoint", "--region", "--queue", "--batch-endpoint", "--json" })]
    [InlineData("cleanup", new[] { "--local-dir", "--table", "--dynamodb-endpoint", "--region", "--queue", "--batch-endpoint", "--dry-run" })]
    [InlineData("logs", new[] { "<job-id>", "<silo-index>", "--region", "--batch-endpoint", "--logs-endpoint" })]
    public async Task Help_documents_every_flag(string command, string[] flags)
    {
        var (exitCode, stdout, _) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), [command, "--help"], TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(0);
        foreach (var flag in flags)
        {
            stdout.ShouldContain(flag);
        }
    }

    [Fact]
    public async Task The_root_help_lists_the_commands()
    {
        var (exitCode, stdout, _) = await LauncherProcess.RunAsync(new ProcessLeakDetector(), ["--help"], TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(0);
        foreach (var command in new[] { "list", "cleanup", "logs" })
        {
            stdout.ShouldContain($"\n  {command} ");
        }
    }
}
