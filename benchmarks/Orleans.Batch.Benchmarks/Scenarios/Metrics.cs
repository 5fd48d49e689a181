using System.Globalization;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>The rows of the results table.</summary>
internal static class Metrics
{
    public static readonly Metric ImageSize = new(
        "image.size",
        "Launcher image size (deploy/Dockerfile, local Debian 12 base)",
        "MB",
        BaselineIs: BaselineKinds.None);

    public static readonly Metric ImageAppLayers = new(
        "image.app",
        "Launcher image: our layers over the .NET runtime base",
        "MB",
        BaselineIs: BaselineKinds.None);

    public static readonly Metric SiloStartToActive = new(
        "image.start-to-active",
        "one silo, start to Active (DynamoDB membership): container vs plain process",
        "s",
        Target: "≤ 1.5 × baseline",
        BaselineIs: BaselineKinds.PlainProcess);

    public static Metric Launch(int silos) => new(
        $"launch.{silos}",
        $"launch to ready, {Silos(silos)}",
        "s",
        Target: silos == 4 ? "≤ 0.8 × baseline" : null);

    public static Metric Teardown(int silos, string after, string key) => new(
        $"teardown.{silos}.{key}",
        $"tear-down, {Silos(silos)} (after {after})",
        "s",
        Target: "< 3 s");

    public static Metric Throughput(int silos, int inFlight) => new(
        $"throughput.{silos}.{inFlight}",
        $"echo calls/s, {Silos(silos)}, {inFlight} in flight",
        "calls/s",
        HigherIsBetter: true,
        Target: "≥ 0.95 × baseline");

    public static Metric TlsLaunch(int silos) => new(
        $"tls.launch.{silos}",
        $"launch with cluster TLS, {Silos(silos)} (ready: client connected)",
        "s",
        Target: "≤ 1.1 × baseline",
        BaselineIs: BaselineKinds.OursWithoutTls);

    public static Metric TlsThroughput(int silos, int inFlight) => new(
        $"tls.throughput.{silos}.{inFlight}",
        $"echo calls/s with cluster TLS, {Silos(silos)}, {inFlight} in flight",
        "calls/s",
        HigherIsBetter: true,
        Target: inFlight >= 1000 ? "≥ 0.9 × baseline" : null,
        BaselineIs: BaselineKinds.OursWithoutTls);

    public static Metric TlsLatencyP99(int silos, int inFlight) => new(
        $"tls.latency.p99.{silos}.{inFlight}",
        $"echo call p99 latency with cluster TLS, {Silos(silos)}, {inFlight} in flight",
        "ms",
        BaselineIs: BaselineKinds.OursWithoutTls);

    public static Metric DashboardLaunch(int silos) => new(
        $"dashboard.launch.{silos}",
        $"launch with the dashboard, {Silos(silos)} (ready: client connected)",
        "s",
        BaselineIs: BaselineKinds.OursWithoutDashboard);

    public static Metric DashboardThroughput(int silos, int inFlight) => new(
        $"dashboard.throughput.{silos}.{inFlight}",
        $"echo calls/s with the dashboard open, {Silos(silos)}, {inFlight} in flight",
        "calls/s",
        HigherIsBetter: true,
        Target: "≥ 0.95 × baseline",
        BaselineIs: BaselineKinds.OursWithoutDashboard);

    public static Metric DashboardLatencyP99(int silos, int inFlight) => new(
        $"dashboard.latency.p99.{silos}.{inFlight}",
        $"echo call p99 latency with the dashboard open, {Silos(silos)}, {inFlight} in flight",
        "ms",
        BaselineIs: BaselineKinds.OursWithoutDashboard);

    public static Metric DashboardClosedLaunch(int silos) => new(
        $"dashboard.closed.launch.{silos}",
        $"launch with the dashboard enabled, no page open, {Silos(silos)} (ready: client connected)",
        "s",
        BaselineIs: BaselineKinds.OursWithoutDashboard);

    public static Metric DashboardClosedThroughput(int silos, int inFlight) => new(
        $"dashboard.closed.throughput.{silos}.{inFlight}",
        $"echo calls/s with the dashboard enabled, no page open, {Silos(silos)}, {inFlight} in flight",
        "calls/s",
        HigherIsBetter: true,
        Target: "≥ 0.95 × baseline",
        BaselineIs: BaselineKinds.OursWithoutDashboard);

    public static Metric DashboardClosedLatencyP99(int silos, int inFlight) => new(
        $"dashboard.closed.latency.p99.{silos}.{inFlight}",
        $"echo call p99 latency with the dashboard enabled, no page open, {Silos(silos)}, {inFlight} in flight",
        "ms",
        BaselineIs: BaselineKinds.OursWithoutDashboard);

    public static Metric LatencyP50(int silos, int inFlight) => new(
        $"latency.p50.{silos}.{inFlight}",
        $"echo call p50 latency, {Silos(silos)}, {inFlight} in flight",
        "ms");

    public static Metric LatencyP99(int silos, int inFlight) => new(
        $"latency.p99.{silos}.{inFlight}",
        $"echo call p99 latency, {Silos(silos)}, {inFlight} in flight",
        "ms",
        Target: "≤ 1.1 × baseline");

    public static Metric FailureDeclaredDead(int silos) => new(
        $"failure.dead.{silos}",
        $"failure detection: SIGKILL → GetHosts drops the silo, {Silos(silos)}",
        "s",
        Target: "< 5 s");

    public static Metric FailureRerouted(int silos) => new(
        $"failure.reroute.{silos}",
        $"failure reroute: SIGKILL → call to a grain that was there succeeds elsewhere, {Silos(silos)}",
        "s",
        Target: "< 5 s");

    public static Metric PeakMemory(int silos, string when) => new(
        $"memory.{silos}",
        $"peak memory (VmHWM) per silo process, {Silos(silos)}, {when}",
        "MiB",
        SamplesPerRun: silos);

    public static Metric LaunchCpu(int silos) => new(
        $"launch.cpu.{silos}",
        $"CPU time per silo process, spawn to ready, {Silos(silos)}",
        "CPU s",
        SamplesPerRun: silos);

    public static Metric IdleCpu(int silos) => new(
        $"idle.cpu.{silos}",
        $"CPU use per idle silo process, {Silos(silos)}, the 2 s before the failure scenario's kill",
        "% of a core",
        SamplesPerRun: silos);

    // ---- the AWS Batch control plane (no plain-Orleans equivalent: the baseline column holds the target) ----

    public static Metric ControlPlaneSubmitCalls(int silos) => new(
        $"controlplane.{silos}.submitjob.calls",
        $"control plane, {Silos(silos)}: SubmitJob calls",
        "calls",
        Target: "≤ 1 call",
        BaselineIs: BaselineKinds.Target,
        Reference: 1);

    public static Metric ControlPlaneSubmitTime(int silos) => new(
        $"controlplane.{silos}.submit.time",
        $"control plane, {Silos(silos)}: time to submit",
        "ms",
        BaselineIs: BaselineKinds.None);

    public static Metric ControlPlaneDescribeCallsPerPoll(int silos) => new(
        $"controlplane.{silos}.describejobs.perpoll",
        $"control plane, {Silos(silos)}: DescribeJobs calls per poll",
        "calls",
        Target: string.Create(CultureInfo.InvariantCulture, $"≤ {DescribeCallsFor(silos)} {(DescribeCallsFor(silos) == 1 ? "call" : "calls")}"),
        BaselineIs: BaselineKinds.Target,
        Reference: DescribeCallsFor(silos));

    public static Metric ControlPlanePollTime(int silos) => new(
        $"controlplane.{silos}.poll.time",
        $"control plane, {Silos(silos)}: time per poll (DescribeAsync of every silo)",
        "ms",
        BaselineIs: BaselineKinds.None);

    public static Metric ControlPlaneAllRunningTime(int silos) => new(
        $"controlplane.{silos}.running.time",
        $"control plane, {Silos(silos)}: time to observe all RUNNING (from the submit)",
        "ms",
        BaselineIs: BaselineKinds.None);

    public static Metric ControlPlaneTerminateCalls(int silos) => new(
        $"controlplane.{silos}.terminatejob.calls",
        $"control plane, {Silos(silos)}: TerminateJob calls",
        "calls",
        Target: "≤ 1 call",
        BaselineIs: BaselineKinds.Target,
        Reference: 1);

    public static Metric ControlPlaneTeardownTime(int silos) => new(
        $"controlplane.{silos}.teardown.time",
        $"control plane, {Silos(silos)}: time to tear down (TerminateAllAsync until every job ended)",
        "ms",
        BaselineIs: BaselineKinds.None);

    /// <summary>The target: DescribeJobs takes 100 ids a call, so one poll of N silos needs ⌈N / 100⌉ calls (100 at 10 000).</summary>
    public static int DescribeCallsFor(int silos) => (silos + 99) / 100;

    // ---- DynamoDB membership (the baseline column is ours with the file table, in the same run) ----

    public static Metric DynamoDBLaunch(int silos) => new(
        $"dynamodb.launch.{silos}",
        $"launch to ready, {Silos(silos)}, DynamoDB Local membership (baseline column: ours with the file table)",
        "s",
        BaselineIs: BaselineKinds.OursWithFileTable);

    public static Metric DynamoDBTeardown(int silos) => new(
        $"dynamodb.teardown.{silos}",
        $"tear-down, {Silos(silos)}, DynamoDB Local membership (baseline column: ours with the file table)",
        "s",
        Target: "< 3 s",
        BaselineIs: BaselineKinds.OursWithFileTable);

    public static Metric DynamoDBIdleRequestsPerSilo(int silos, int slices) => new(
        $"dynamodb.idle.silo.{silos}",
        $"DynamoDB requests per silo per minute, {Silos(silos)} idle",
        "requests/min",
        SamplesPerRun: slices,
        BaselineIs: BaselineKinds.None);

    public static Metric DynamoDBIdleRequestsManager(int silos, int slices) => new(
        $"dynamodb.idle.manager.{silos}",
        $"DynamoDB requests per minute of the manager (client, monitor, lease), {Silos(silos)} idle",
        "requests/min",
        SamplesPerRun: slices,
        BaselineIs: BaselineKinds.None);

    private static string Silos(int count) => count == 1 ? "1 silo" : string.Create(CultureInfo.InvariantCulture, $"{count} silos");
}
