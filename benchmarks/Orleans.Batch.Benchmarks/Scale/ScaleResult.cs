using System.Text.Json.Serialization;

namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>One cluster size's measurement in <c>benchmarks/results/scale.json</c>.</summary>
internal sealed record ScaleResult(
    [property: JsonPropertyName("silos")] int Silos,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("join_seconds")] double? JoinSeconds,
    [property: JsonPropertyName("active_silos")] int ActiveSilos,
    [property: JsonPropertyName("steady_window_seconds")] double SteadyWindowSeconds,
    [property: JsonPropertyName("read_units_per_second")] double ReadUnitsPerSecond,
    [property: JsonPropertyName("write_units_per_second")] double WriteUnitsPerSecond,
    [property: JsonPropertyName("requests_per_second")] double RequestsPerSecond,
    [property: JsonPropertyName("throttled_requests")] long ThrottledRequests,
    [property: JsonPropertyName("join_read_units")] double JoinReadUnits,
    [property: JsonPropertyName("join_write_units")] double JoinWriteUnits,
    [property: JsonPropertyName("peak_read_units_per_second")] double PeakReadUnitsPerSecond,
    [property: JsonPropertyName("peak_write_units_per_second")] double PeakWriteUnitsPerSecond,
    [property: JsonPropertyName("cost_per_hour_usd")] double CostPerHourUsd,
    [property: JsonPropertyName("cost_per_silo_hour_usd")] double CostPerSiloHourUsd,
    [property: JsonPropertyName("requests_per_silo_per_minute")] IReadOnlyDictionary<string, double> RequestsPerSiloPerMinute);

/// <summary>The whole <c>scale.json</c>: the prices used, the measurements, the model and where it stops fitting.</summary>
internal sealed record ScaleReport(
    [property: JsonPropertyName("measured_at")] DateTimeOffset MeasuredAt,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("prices")] ScalePrices Prices,
    [property: JsonPropertyName("results")] IReadOnlyList<ScaleResult> Results,
    [property: JsonPropertyName("validation")] IReadOnlyList<ScaleValidation> Validation,
    [property: JsonPropertyName("model")] IReadOnlyList<string> Model,
    [property: JsonPropertyName("extrapolation")] IReadOnlyList<ScaleResult> Extrapolation);

/// <summary>Prices the costs are computed with (AWS us-east-1 list prices, on demand).</summary>
internal sealed record ScalePrices(
    [property: JsonPropertyName("dynamodb_read_request_unit_usd")] double ReadRequestUnit,
    [property: JsonPropertyName("dynamodb_write_request_unit_usd")] double WriteRequestUnit,
    [property: JsonPropertyName("smallest_instance")] string SmallestInstance,
    [property: JsonPropertyName("smallest_instance_hour_usd")] double SmallestInstanceHour);

/// <summary>Simulated silos against real ones at the same size: requests per silo per minute, by operation.</summary>
internal sealed record ScaleValidation(
    [property: JsonPropertyName("silos")] int Silos,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("real")] double Real,
    [property: JsonPropertyName("simulated")] double Simulated,
    [property: JsonPropertyName("ratio")] double Ratio);
