using System.Globalization;
using System.Text.Json.Serialization;

namespace Orleans.Batch.Application.Reporting;

/// <summary>
/// What a run did and, on AWS Batch, what it cost (an estimate): printed at the end of every run and written as JSON by
/// <c>--report FILE.json</c>. Durations in seconds; null where a value is not known (no cluster was ready, the silo
/// size is not known).
/// </summary>
internal sealed record RunReport
{
    /// <summary>The cluster id.</summary>
    public required string ClusterId { get; init; }

    /// <summary><c>local</c> or <c>aws-batch</c>.</summary>
    public required string Backend { get; init; }

    /// <summary>The manager's exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Silos that became active members (the launch's, those added, replacements).</summary>
    public required int SilosLaunched { get; init; }

    /// <summary>Silos lost while the cluster ran (replaced or not).</summary>
    public required int SilosLost { get; init; }

    /// <summary>Lost silos that were replaced.</summary>
    public required int SilosReplaced { get; init; }

    /// <summary>Silos removed by the manager (scaling down).</summary>
    public required int SilosRemoved { get; init; }

    /// <summary>From the start of the launch until the cluster was ready; null when it never was.</summary>
    public double? TimeToReadySeconds { get; init; }

    /// <summary>From the start of the run to the end of its tear-down.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>
    /// Silo time: for every silo, from the launch (or its addition) until it was lost, removed or torn down. What
    /// Batch bills is close to it (a job is billed while its instance or task runs).
    /// </summary>
    public required double SiloSeconds { get; init; }

    /// <summary>vCPUs of one silo (<c>--vcpus</c>, else the job definition's); null locally.</summary>
    public double? VcpusPerSilo { get; init; }

    /// <summary>Memory of one silo in MiB (<c>--memory</c>, else the job definition's); null when not known.</summary>
    [JsonPropertyName("memory_mib_per_silo")]
    public int? MemoryMiBPerSilo { get; init; }

    /// <summary>Silo time × vCPUs, in vCPU-hours; null when the silo size is not known.</summary>
    public double? VcpuHours { get; init; }

    /// <summary>AWS Batch requests the manager sent.</summary>
    public required long BatchRequests { get; init; }

    /// <summary>DynamoDB requests the manager sent.</summary>
    [JsonPropertyName("dynamodb_requests")]
    public required long DynamoDBRequests { get; init; }

    /// <summary>AWS requests answered as throttled.</summary>
    public required long ThrottledRequests { get; init; }

    /// <summary>
    /// DynamoDB read capacity units the manager's requests consumed, as DynamoDB reported them. The silos' membership
    /// traffic is not in it: each silo measures its own in <c>orleans.batch.dynamodb.consumed_capacity</c>.
    /// </summary>
    [JsonPropertyName("dynamodb_read_units")]
    public required double DynamoDBReadUnits { get; init; }

    /// <summary>DynamoDB write capacity units the manager's requests consumed, counted as <see cref="DynamoDBReadUnits"/>.</summary>
    [JsonPropertyName("dynamodb_write_units")]
    public required double DynamoDBWriteUnits { get; init; }

    /// <summary>The estimated cost, on AWS Batch only.</summary>
    public RunCostEstimate? Cost { get; init; }

    /// <summary>The report's lines for the console.</summary>
    public IEnumerable<string> Describe()
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"Run summary: {SilosLaunched} silo(s) launched, {SilosLost} lost, {SilosReplaced} replaced, {SilosRemoved} removed");
        yield return string.Create(c, $"  time to ready {(TimeToReadySeconds is { } ready ? Seconds(ready) : "-")}, wall time {Seconds(WallSeconds)}, silo time {Seconds(SiloSeconds)}{(VcpuHours is { } hours ? $" ({hours:0.####} vCPU-hours)" : string.Empty)}");
        yield return BatchRequests + DynamoDBRequests == 0 ? "  AWS requests: none" : string.Create(c, $"  AWS requests: {BatchRequests} Batch, {DynamoDBRequests} DynamoDB ({DynamoDBReadUnits:0.#} read and {DynamoDBWriteUnits:0.#} write units){(ThrottledRequests > 0 ? $", {ThrottledRequests} throttled" : string.Empty)}");
        if (Cost is { } cost)
        {
            yield return string.Create(c, $"  estimated cost: ${cost.TotalUsd:0.0000} (compute ${cost.ComputeUsd:0.0000}, the manager's DynamoDB ${cost.DynamoDBUsd:0.000000}); {cost.Basis}");
        }
    }

    private static string Seconds(double seconds) =>
        seconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s")
        : TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}

/// <summary>An estimate of what a run cost on AWS, from its silo time and consumed capacity and <see cref="RunPricing"/>.</summary>
/// <param name="ComputeUsd">Silo time × (vCPUs × vCPU-hour price + memory × GiB-hour price).</param>
/// <param name="DynamoDBUsd">The manager's consumed read and write units × their prices.</param>
/// <param name="Basis">What the estimate rests on, in words (the prices and their date).</param>
internal sealed record RunCostEstimate(double ComputeUsd, [property: JsonPropertyName("dynamodb_usd")] double DynamoDBUsd, string Basis)
{
    /// <summary>Always true: this is an estimate, not a bill.</summary>
    [JsonPropertyOrder(-1)]
    public bool Estimate { get; } = true;

    /// <summary>Compute and DynamoDB.</summary>
    public double TotalUsd => ComputeUsd + DynamoDBUsd;
}
