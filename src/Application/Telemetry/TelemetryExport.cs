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

    private static readonly string[] Meters = [OrleansBatchTelemetry.MeterName, "Microsoft.Orleans"];
    private static readonly string[] Sources = [OrleansBatchTelemetry.ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    private TelemetryExport(MeterProvider meters, TracerProvider traces)
    {
        _meters = meters;
        _traces = traces;
    }

    /// <summary>Whether an OTLP endpoint is configured in this process's environment.</summary>
    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable));

    /// <summary>
    /// Starts exporting the manager's telemetry when an endpoint is configured; <paramref name="endpoint"/> (the flag)
    /// becomes the process's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, so local silos inherit it.
    /// </summary>
    /// <param name="endpoint">The <c>--otlp-endpoint</c> flag; null: the environment decides.</param>
    /// <returns>The export, to dispose (which flushes) at exit; null when nothing is exported.</returns>
    public static TelemetryExport? StartManager(Uri? endpoint)
    {
        if (endpoint is not null)
        {
            Environment.SetEnvironmentVariable(EndpointVariable, endpoint.OriginalString);
        }

        if (!IsConfigured)
        {
            return null;
        }

        var meters = Sdk.CreateMeterProviderBuilder().ConfigureResource(r => Describe(r, ManagerServiceName)).AddMeter(Meters).AddOtlpExporter().Build();
        var traces = Sdk.CreateTracerProviderBuilder().ConfigureResource(r => Describe(r, ManagerServiceName)).AddSource(Sources).AddOtlpExporter().Build();
        return new TelemetryExport(meters, traces);
    }

    /// <summary>Adds the export to a silo's host when an endpoint is configured (the host flushes it when it stops).</summary>
    /// <param name="builder">The silo's host builder.</param>
    public static void AddToSilo(IHostApplicationBuilder builder)
    {
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
        _meters.Dispose();
        _traces.Dispose();
    }

    private static void Describe(ResourceBuilder resource, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
        {
            resource.AddService(serviceName);
        }
    }
}
