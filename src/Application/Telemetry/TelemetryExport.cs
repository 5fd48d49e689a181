using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Batch.Hosting.Diagnostics;

namespace Orleans.Batch.Application.Telemetry;

/// <summary>
/// Exports the manager's and the silos' metrics and traces over OTLP when an endpoint is configured
/// (<c>--otlp-endpoint</c>, or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> picks
/// gRPC or HTTP/protobuf, and the other <c>OTEL_*</c> variables work as everywhere): Orleans.Batch's own instruments and
/// Orleans' meters and activities.
/// </summary>
internal sealed class TelemetryExport : IDisposable
{
    /// <summary>The standard variable of the OTLP endpoint, which the OpenTelemetry SDK reads.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name of the manager, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ManagerServiceName = "orleans-batch-manager";

    /// <summary>The service name of a silo, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string SiloServiceName = "orleans-batch-silo";

    /// <summary>
    /// The standard variable that picks the metrics exporter; <c>console</c> (<c>--metrics console</c>) prints
    /// Orleans.Batch's metrics on standard error (a silo's: in its log), besides any OTLP export.
    /// </summary>
    public const string MetricsExporterVariable = "OTEL_METRICS_EXPORTER";

    /// <summary>The value of <see cref="MetricsExporterVariable"/> for the console.</summary>
    public const string ConsoleExporter = "console";

    /// <summary>How often the console exporter prints, unless <c>OTEL_METRIC_EXPORT_INTERVAL</c> (milliseconds) says otherwise.</summary>
    private const int DefaultConsoleIntervalMilliseconds = 10_000;

    private static readonly string[] Meters = [OrleansBatchTelemetry.MeterName, "Microsoft.Orleans"];
    private static readonly string[] Sources = [OrleansBatchTelemetry.ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _console;

    private TelemetryExport(MeterProvider? meters, TracerProvider? traces, MeterProvider? console)
    {
        _meters = meters;
        _traces = traces;
        _console = console;
    }

    /// <summary>Whether an OTLP endpoint is configured in this process's environment.</summary>
    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable));

    /// <summary>Whether metrics go to the console (<c>OTEL_METRICS_EXPORTER=console</c>).</summary>
    public static bool ToConsole => string.Equals(Environment.GetEnvironmentVariable(MetricsExporterVariable)?.Trim(), ConsoleExporter, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Starts exporting the manager's telemetry when an endpoint is configured; <paramref name="endpoint"/> (the flag)
    /// becomes the process's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, so local silos inherit it.
    /// </summary>
    /// <param name="endpoint">The <c>--otlp-endpoint</c> flag; null: the environment decides.</param>
    /// <param name="console">The <c>--metrics</c> flag (console: true, none: false); null: <c>OTEL_METRICS_EXPORTER</c> decides.</param>
    /// <returns>The export, to dispose (which flushes) at exit; null when nothing is exported.</returns>
    public static TelemetryExport? StartManager(Uri? endpoint, bool? console = null)
    {
        if (endpoint is not null)
        {
            Environment.SetEnvironmentVariable(EndpointVariable, endpoint.OriginalString);
        }

        if (console is { } toConsole)
        {
            // Local silos inherit it, and Batch silos are given it: they print theirs in their logs.
            if (toConsole)
            {
                Environment.SetEnvironmentVariable(MetricsExporterVariable, ConsoleExporter);
            }
            else if (ToConsole)
            {
                Environment.SetEnvironmentVariable(MetricsExporterVariable, null);
            }
        }

        if (!IsConfigured && !ToConsole)
        {
            return null;
        }

        var meters = IsConfigured ? Sdk.CreateMeterProviderBuilder().ConfigureResource(r => Describe(r, ManagerServiceName)).AddMeter(Meters).AddOtlpExporter().Build() : null;
        var traces = IsConfigured ? Sdk.CreateTracerProviderBuilder().ConfigureResource(r => Describe(r, ManagerServiceName)).AddSource(Sources).AddOtlpExporter().Build() : null;
        var consoleMeters = ToConsole ? Sdk.CreateMeterProviderBuilder().AddMeter(OrleansBatchTelemetry.MeterName).AddReader(ConsoleReader()).Build() : null;
        return new TelemetryExport(meters, traces, consoleMeters);
    }

    /// <summary>Adds the export to a silo's host when an endpoint is configured (the host flushes it when it stops).</summary>
    /// <param name="builder">The silo's host builder.</param>
    public static void AddToSilo(IHostApplicationBuilder builder)
    {
        if (ToConsole)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(OrleansBatchTelemetry.MeterName).AddReader(ConsoleReader()));
        }

        if (!IsConfigured)
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => Describe(r, SiloServiceName))
            .WithMetrics(m => m.AddMeter(Meters).AddOtlpExporter())
            .WithTracing(t => t.AddSource(Sources).AddOtlpExporter());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Disposing flushes: the last measurements (tear-down) go out before the process ends.
        _meters?.Dispose();
        _traces?.Dispose();
        _console?.Dispose();
    }

    private static PeriodicExportingMetricReader ConsoleReader()
    {
        var interval = int.TryParse(Environment.GetEnvironmentVariable("OTEL_METRIC_EXPORT_INTERVAL"), out var configured) && configured > 0
            ? configured
            : DefaultConsoleIntervalMilliseconds;
        return new PeriodicExportingMetricReader(new ConsoleMetricExporter(Console.Error), interval);
    }

    private static void Describe(ResourceBuilder resource, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
        {
            resource.AddService(serviceName);
        }
    }
}
