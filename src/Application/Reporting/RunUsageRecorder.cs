using System.Diagnostics.Metrics;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Diagnostics;
using Orleans.Batch.Hosting.Diagnostics.Internal;

namespace Orleans.Batch.Application.Reporting;

/// <summary>
/// Records what a run uses while it runs: the manager's AWS requests and DynamoDB capacity (from Orleans.Batch's own
/// instruments, through a <see cref="MeterListener"/>), and each silo's time from the launch (or its addition) until it
/// is lost, removed or torn down (from the cluster's events).
/// </summary>
internal sealed class RunUsageRecorder : IDisposable
{
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly long _started;
    private readonly Dictionary<int, long> _running = [];
    private long _launchStarted;
    private long? _ready;
    private double _siloTicks;
    private long _batchRequests;
    private long _dynamoRequests;
    private long _throttled;
    private double _readUnits;
    private double _writeUnits;
    private int _lost;
    private BatchCluster? _cluster;

    public RunUsageRecorder(TimeProvider time)
    {
        _time = time;
        _started = _launchStarted = time.GetTimestamp();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrleansBatchTelemetry.MeterName
                && instrument.Name is OrleansBatchTelemetry.Instruments.AwsRequests or OrleansBatchTelemetry.Instruments.DynamoDBConsumedCapacity)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnRequest);
        _listener.SetMeasurementEventCallback<double>(OnCapacity);
        _listener.Start();
    }

    /// <summary>The launch starts now: silo time counts from here.</summary>
    public void LaunchStarting() => _launchStarted = _time.GetTimestamp();

    /// <summary>The cluster is ready: its silos run from the launch's start, and its events move them from now on.</summary>
    public void Ready(BatchCluster cluster)
    {
        lock (_gate)
        {
            _ready = _time.GetTimestamp();
            _cluster = cluster;
            foreach (var silo in cluster.Silos)
            {
                _running.TryAdd(silo.Index, _launchStarted);
            }
        }

        cluster.SiloAdded += (_, e) => Start(e.Silo.Index);
        cluster.SiloLost += (_, e) =>
        {
            Interlocked.Increment(ref _lost);
            Stop(e.Silo.Index);
        };
        cluster.SiloRemoved += (_, e) => Stop(e.Silo.Index);
    }

    /// <summary>The run's report, once its cluster is torn down (or never came up).</summary>
    public RunReport Finish(RunReportContext context)
    {
        _listener.Dispose();
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var index in _running.Keys.ToList())
            {
                Stop(index, now);
            }

            var siloSeconds = _siloTicks / _time.TimestampFrequency;
            var vcpuHours = context.VcpusPerSilo is { } vcpus ? siloSeconds * vcpus / 3600 : (double?)null;
            var report = new RunReport
            {
                ClusterId = context.ClusterId,
                Backend = context.Backend,
                ExitCode = context.ExitCode,
                SilosLaunched = _cluster?.Silos.Count ?? 0,
                SilosLost = _lost,
                SilosReplaced = _cluster?.ReplacementsUsed ?? 0,
                SilosRemoved = _cluster?.RemovedSilos.Count ?? 0,
                TimeToReadySeconds = _ready is { } ready ? _time.GetElapsedTime(_launchStarted, ready).TotalSeconds : null,
                WallSeconds = _time.GetElapsedTime(_started, now).TotalSeconds,
                SiloSeconds = siloSeconds,
                VcpusPerSilo = context.VcpusPerSilo,
                MemoryMiBPerSilo = context.MemoryMiBPerSilo,
                VcpuHours = vcpuHours,
                BatchRequests = Interlocked.Read(ref _batchRequests),
                DynamoDBRequests = Interlocked.Read(ref _dynamoRequests),
                ThrottledRequests = Interlocked.Read(ref _throttled),
                DynamoDBReadUnits = _readUnits,
                DynamoDBWriteUnits = _writeUnits,
            };
            return context.Pricing is { } pricing ? report with { Cost = Estimate(report, pricing) } : report;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static RunCostEstimate Estimate(RunReport report, RunPricing pricing)
    {
        var siloHours = report.SiloSeconds / 3600;
        var compute = report.VcpusPerSilo is { } vcpus
            ? siloHours * ((vcpus * pricing.VcpuHourUsd) + ((report.MemoryMiBPerSilo ?? 0) / 1024.0 * pricing.GiBHourUsd))
            : 0;
        var dynamo = (report.DynamoDBReadUnits * pricing.ReadRequestUnitUsd) + (report.DynamoDBWriteUnits * pricing.WriteRequestUnitUsd);
        var basis = pricing.IsOverridden
            ? $"an estimate with the prices of {RunPricing.SectionName}"
            : $"an estimate at {RunPricing.DefaultsSource}, as of {RunPricing.DefaultsAsOf}";
        if (report.VcpusPerSilo is null)
        {
            basis += "; compute not included: the silo size is not known";
        }

        return new RunCostEstimate(compute, dynamo, basis);
    }

    private void Start(int index)
    {
        lock (_gate)
        {
            _running.TryAdd(index, _time.GetTimestamp());
        }
    }

    private void Stop(int index)
    {
        lock (_gate)
        {
            Stop(index, _time.GetTimestamp());
        }
    }

    private void Stop(int index, long now)
    {
        if (_running.Remove(index, out var since))
        {
            _siloTicks += now - since;
        }
    }

    private void OnRequest(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? service = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case ClusterTelemetry.ServiceTag: service = tag.Value as string; break;
                case ClusterTelemetry.OutcomeTag: outcome = tag.Value as string; break;
            }
        }

        if (service == ClusterTelemetry.BatchService)
        {
            Interlocked.Add(ref _batchRequests, value);
        }
        else if (service == ClusterTelemetry.DynamoDBService)
        {
            Interlocked.Add(ref _dynamoRequests, value);
        }

        if (outcome == ClusterTelemetry.Throttled)
        {
            Interlocked.Add(ref _throttled, value);
        }
    }

    private void OnCapacity(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var write = false;
        foreach (var tag in tags)
        {
            if (tag.Key == ClusterTelemetry.CapacityTag)
            {
                write = tag.Value as string == ClusterTelemetry.WriteCapacity;
            }
        }

        lock (_gate)
        {
            if (write)
            {
                _writeUnits += value;
            }
            else
            {
                _readUnits += value;
            }
        }
    }
}

/// <summary>What the report needs besides what the recorder saw.</summary>
/// <param name="ClusterId">The cluster id.</param>
/// <param name="Backend">The backend's name.</param>
/// <param name="ExitCode">The manager's exit code.</param>
/// <param name="VcpusPerSilo">One silo's vCPUs, when known.</param>
/// <param name="MemoryMiBPerSilo">One silo's memory, when known.</param>
/// <param name="Pricing">The prices, when the silos ran on AWS (the cost applies); null: no cost.</param>
internal sealed record RunReportContext(string ClusterId, string Backend, int ExitCode, double? VcpusPerSilo, int? MemoryMiBPerSilo, RunPricing? Pricing);
