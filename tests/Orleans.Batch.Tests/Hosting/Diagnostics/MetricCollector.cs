using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Orleans.Batch.Hosting.Diagnostics;

namespace Orleans.Batch.Tests.Hosting.Diagnostics;

/// <summary>Listens to the Orleans.Batch meter (as an OpenTelemetry exporter would) and keeps every measurement.</summary>
internal sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrleansBatchTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> whose tags include every one of <paramref name="having"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, params (string Key, object? Value)[] having) =>
        [.. _measurements.Where(m => m.Instrument == instrument && having.All(h => m.Tags.TryGetValue(h.Key, out var v) && Equals(v, h.Value)))];

    /// <summary>Reads the observed instruments (gauges) now, as an exporter does at each collection.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
    }

    internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);
}
