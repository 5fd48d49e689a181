using System.Globalization;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>The rows of the results table.</summary>
internal static class Metrics
{
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

    private static string Silos(int count) => count == 1 ? "1 silo" : string.Create(CultureInfo.InvariantCulture, $"{count} silos");
}
