using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>The command line exports the manager's and the silos' telemetry to a real OTLP/HTTP receiver.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Manager_and_silos_export_metrics_and_traces_over_OTLP_HTTP()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
            leaks,
            ["--silos", "2", "--otlp-endpoint", receiver.Address.ToString()],
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });

        exitCode.ShouldBe(0, stderr);
        stdout.ShouldContain("Num silos: 2");
        var metrics = receiver.Payloads("metrics").SelectMany(p => p).ToList();
        metrics.ShouldContain("orleans-batch-manager");
        metrics.ShouldContain("orleans.batch.cluster.launch.duration");
        metrics.ShouldContain("orleans.batch.cluster.teardown.duration", customMessage: "the last measurements are flushed on the way out");
        (receiver.Payloads("metrics").Concat(receiver.Payloads("traces"))).ShouldContain(p => p.Contains("orleans-batch-silo"), "the silos export too");
        receiver.Payloads("traces").SelectMany(p => p).ShouldContain("orleans.batch.launch");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Manager_and_silos_export_metrics_over_OTLP_gRPC()
    {
        await using var receiver = await OtlpReceiver.StartAsync(grpc: true);
        var leaks = new ProcessLeakDetector();

        var (exitCode, _, stderr) = await LauncherProcess.RunAsync(
            leaks,
            ["--silos", "1", "--otlp-endpoint", receiver.Address.ToString()],
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc" });

        exitCode.ShouldBe(0, stderr);
        var metrics = receiver.Payloads("metrics").SelectMany(p => p).ToList();
        metrics.ShouldContain("orleans-batch-manager");
        metrics.ShouldContain("orleans.batch.cluster.launch.duration");
        receiver.Payloads("metrics").Concat(receiver.Payloads("trace")).ShouldContain(p => p.Contains("orleans-batch-silo"), "the silos export over gRPC too");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public async Task Metrics_console_prints_the_managers_metrics_on_standard_error_and_keeps_standard_output_for_results()
    {
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1", "--metrics", "console"], TimeSpan.FromMinutes(3));

        exitCode.ShouldBe(0, stderr);
        stderr.ShouldMatch(@"(?m)^metric orleans\.batch\.cluster\.launch\.duration\{orleans\.cluster_id=ob-[^,]+,orleans_batch\.backend=local,outcome=ready\} = count 1, sum [0-9.]+ s$");
        stderr.ShouldContain("metric orleans.batch.cluster.teardown.duration{", customMessage: "the last values are printed on the way out");
        stdout.ShouldNotContain("metric ");
        stdout.ShouldContain("Num silos: 1");
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public void The_receiver_reads_text_out_of_protobuf_and_nothing_out_of_binary()
    {
        // field 1 (message) { field 1 (string) "service.name", field 2 (string) "x" }, field 2 (bytes) 0x00 0xFF
        byte[] payload = [0x0A, 0x11, 0x0A, 0x0C, .. "service.name"u8, 0x12, 0x01, (byte)'x', 0x12, 0x02, 0x00, 0xFF];

        OtlpReceiver.TextOf(payload).ShouldBe(["service.name", "x"]);
    }
}
