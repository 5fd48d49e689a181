using System.Net;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Application.Manager;
using Orleans.Runtime;
using Spectre.Console;

namespace Orleans.Batch.Tests.Application.Manager;

/// <summary>What the manager's console says when a silo of a running cluster is lost.</summary>
public sealed class ConsoleClusterObserverTests
{
    private static readonly ClusterSilo Silo = new(1, "0123abcd:1", SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 7));

    [Fact]
    public void A_lost_batch_silo_is_reported_with_its_reason_and_the_command_that_prints_its_log()
    {
        var (observer, output) = Create();
        observer.LogsCommand = jobId => $"orleans-batch logs {jobId} --region eu-west-1";

        observer.OnSiloLost(new LostSilo(Silo, "failed: Essential container in task exited; exit code 137", "CloudWatch Logs stream def/default/abc"));

        output.ToString().Trim().ShouldBe(
            "warning: silo 1 (0123abcd:1) at 127.0.0.1:11111 was lost: failed: Essential container in task exited; exit code 137; its log: orleans-batch logs 0123abcd:1 --region eu-west-1");
    }

    [Fact]
    public void A_lost_local_silo_is_reported_with_its_log_file()
    {
        var (observer, output) = Create();

        observer.OnSiloLost(new LostSilo(Silo, "failed: exit code 3", "/tmp/orleans-batch/c/logs/silo-1.log"));

        output.ToString().Trim().ShouldBe("warning: silo 1 (0123abcd:1) at 127.0.0.1:11111 was lost: failed: exit code 3; logs: /tmp/orleans-batch/c/logs/silo-1.log");
    }

    private static (ConsoleClusterObserver Observer, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 4096;
        return (new ConsoleClusterObserver(console, TimeProvider.System), output);
    }
}
