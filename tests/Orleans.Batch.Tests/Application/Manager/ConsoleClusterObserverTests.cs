using System.Net;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Application.Manager;
using Orleans.Runtime;
using Spectre.Console;

namespace Orleans.Batch.Tests.Application.Manager;

/// <summary>What the manager's console says while silos start, and when a silo of a running cluster is lost.</summary>
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

    [Fact]
    public void A_thousand_silos_are_shown_as_counts_by_state_with_the_slowest_not_a_line_each()
    {
        var (observer, output) = Create();
        var silos = Enumerable.Range(0, 1000).Select(i => i switch
        {
            < 850 => State(i, SiloStatus.Active, SiloBackendState.Running),
            < 995 => State(i, SiloStatus.Joining, SiloBackendState.Running),
            < 999 => State(i, null, SiloBackendState.Runnable, "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"),
            _ => State(i, null, SiloBackendState.Failed, "exit code 3"),
        }).ToList();

        observer.OnProgress(new ClusterLaunchSnapshot("c1", silos, TimeSpan.FromSeconds(12), TimeSpan.FromMinutes(10), 1000));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(2, output.ToString());
        lines[0].ShouldContain("silo 999 (silo-999): failed (exit code 3)");
        lines[1].ShouldContain("850/1000 active, 1 failed, 145 joining, 4 runnable; slowest: silo 995 (runnable (CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY)), silo 996");
    }

    private static SiloLaunchState State(int index, SiloStatus? membership, SiloBackendState backend, string? reason = null) =>
        new(index, $"silo-{index}", new SiloBackendStatus(index, backend, reason), membership, null);

    private static (ConsoleClusterObserver Observer, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 4096;
        return (new ConsoleClusterObserver(console, TimeProvider.System), output);
    }
}
