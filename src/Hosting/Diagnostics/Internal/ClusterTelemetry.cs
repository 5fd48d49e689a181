using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orleans.Batch.Hosting.Diagnostics.Internal;

/// <summary>The instruments behind <see cref="OrleansBatchTelemetry"/>: one meter and one activity source per process.</summary>
internal static class ClusterTelemetry
{
    public const string ClusterIdTag = "orleans.cluster_id";
    public const string BackendTag = "orleans_batch.backend";
    public const string OutcomeTag = "outcome";
    public const string ServiceTag = "rpc.service";

    /// <summary>The <see cref="ServiceTag"/> values: the two AWS services Orleans.Batch calls.</summary>
    public const string BatchService = "Batch";
    public const string DynamoDBService = "DynamoDB";

    /// <summary>The <see cref="OutcomeTag"/> of a request AWS throttled.</summary>
    public const string Throttled = "throttled";

    /// <summary>The <see cref="CapacityTag"/> of write units (the other value is <c>read</c>).</summary>
    public const string WriteCapacity = "write";

    private static readonly Meter Meter = new(OrleansBatchTelemetry.MeterName, typeof(ClusterTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly ActivitySource Source = new(OrleansBatchTelemetry.ActivitySourceName, typeof(ClusterTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> AwsRequests = Meter.CreateCounter<long>(OrleansBatchTelemetry.Instruments.AwsRequests, "{request}", "AWS API requests (attempts) by service, operation and outcome");

    public static readonly Histogram<double> AwsRequestDuration = Meter.CreateHistogram<double>(OrleansBatchTelemetry.Instruments.AwsRequestDuration, "s", "Duration of AWS Batch requests");

    public static readonly Histogram<double> LaunchDuration = Meter.CreateHistogram<double>(OrleansBatchTelemetry.Instruments.LaunchDuration, "s", "Time from a launch to a connected client, or to its failure");

    public static readonly Histogram<double> TeardownDuration = Meter.CreateHistogram<double>(OrleansBatchTelemetry.Instruments.TeardownDuration, "s", "Time to release a cluster");

    public static readonly Counter<double> DynamoDBConsumedCapacity = Meter.CreateCounter<double>(OrleansBatchTelemetry.Instruments.DynamoDBConsumedCapacity, "{capacity_unit}", "DynamoDB capacity units consumed, by operation and read or write");

    public const string CapacityTag = "aws.dynamodb.capacity";

    // Observed instruments read whatever is running in this process when the exporter asks: the clusters' monitors
    // (silos by state) and the managers' lease renewers (lease age). Each registers while it runs.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, Func<IEnumerable<Measurement<int>>>> SiloSources = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, Func<Measurement<double>>> LeaseSources = new();

    public static readonly ObservableGauge<int> Silos = Meter.CreateObservableGauge(
        OrleansBatchTelemetry.Instruments.Silos, () => SiloSources.Values.SelectMany(source => source()), "{silo}", "Silos of a running cluster by state, as its manager tracks them");

    public static readonly ObservableGauge<double> LeaseAge = Meter.CreateObservableGauge(
        OrleansBatchTelemetry.Instruments.LeaseAge, () => LeaseSources.Values.Select(source => source()), "s", "Time since the manager last renewed its lease");

    /// <summary>Reports <paramref name="owner"/>'s silos by state until <see cref="Unregister"/>.</summary>
    public static void ReportSilos(object owner, Func<IEnumerable<Measurement<int>>> measure) => SiloSources[owner] = measure;

    /// <summary>Reports <paramref name="owner"/>'s lease age until <see cref="Unregister"/>.</summary>
    public static void ReportLeaseAge(object owner, Func<Measurement<double>> measure) => LeaseSources[owner] = measure;

    /// <summary>Stops reporting what <paramref name="owner"/> registered.</summary>
    public static void Unregister(object owner)
    {
        SiloSources.TryRemove(owner, out _);
        LeaseSources.TryRemove(owner, out _);
    }

    public static readonly Counter<long> SilosLost = Meter.CreateCounter<long>(OrleansBatchTelemetry.Instruments.SilosLost, "{silo}", "Silos lost while the cluster ran");

    /// <summary>Counts one AWS request attempt (and its duration when measured).</summary>
    public static void AwsRequest(string service, string operation, string outcome, Uri? endpoint, TimeSpan? duration = null)
    {
        var tags = new TagList
        {
            { "rpc.system", "aws-api" },
            { ServiceTag, service },
            { "rpc.method", operation },
            { OutcomeTag, outcome },
            { "server.address", endpoint?.Host },
            { "server.port", endpoint?.Port },
        };
        AwsRequests.Add(1, tags);
        if (duration is { } elapsed)
        {
            AwsRequestDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    /// <summary>Counts the capacity units one DynamoDB request consumed.</summary>
    public static void DynamoDBCapacity(string operation, bool write, double units)
    {
        if (units > 0)
        {
            DynamoDBConsumedCapacity.Add(units, new("rpc.method", operation), new(CapacityTag, write ? WriteCapacity : "read"));
        }
    }

    /// <summary>Records how long a launch of <paramref name="clusterId"/> took, and how it ended.</summary>
    public static void LaunchEnded(string clusterId, string backend, string outcome, TimeSpan elapsed) =>
        LaunchDuration.Record(elapsed.TotalSeconds, new(ClusterIdTag, clusterId), new(BackendTag, backend), new(OutcomeTag, outcome));

    /// <summary>Records how long releasing <paramref name="clusterId"/> took, and how it ended.</summary>
    public static void TeardownEnded(string clusterId, string outcome, TimeSpan elapsed) =>
        TeardownDuration.Record(elapsed.TotalSeconds, new(ClusterIdTag, clusterId), new(OutcomeTag, outcome));

    /// <summary>Counts a silo of <paramref name="clusterId"/> lost while the cluster ran.</summary>
    public static void SiloLost(string? clusterId, bool replacing) =>
        SilosLost.Add(1, new(ClusterIdTag, clusterId), new("replacing", replacing));

    /// <summary>The outcome of an AWS answer: throttling is told apart from other errors (it is waited out, not fixed).</summary>
    public static string Outcome(int statusCode, string? errorCode) =>
        statusCode is >= 200 and < 300 ? "success"
        : errorCode is "ConditionalCheckFailedException" or "TransactionCanceledException" ? "conflict"
        : statusCode == 429 || errorCode is "ThrottlingException" or "TooManyRequestsException" or "ProvisionedThroughputExceededException" or "RequestLimitExceeded" or "Throttling"
            ? Throttled
            : "error";
}
