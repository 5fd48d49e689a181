namespace Orleans.Batch.Hosting.Diagnostics;

/// <summary>
/// The names under which Orleans.Batch reports what it does, through <see cref="System.Diagnostics.Metrics.Meter"/>
/// and <see cref="System.Diagnostics.ActivitySource"/>: add <see cref="MeterName"/> and <see cref="ActivitySourceName"/>
/// to an OpenTelemetry pipeline (<c>AddMeter</c>, <c>AddSource</c>) to export them with Orleans' own.
/// </summary>
public static class OrleansBatchTelemetry
{
    /// <summary>The meter of every Orleans.Batch instrument: <c>Orleans.Batch</c>.</summary>
    public const string MeterName = "Orleans.Batch";

    /// <summary>The activity source of Orleans.Batch's traces (launch, tear-down, AWS Batch calls): <c>Orleans.Batch</c>.</summary>
    public const string ActivitySourceName = "Orleans.Batch";

    /// <summary>Instrument names.</summary>
    public static class Instruments
    {
        /// <summary>
        /// Counter of AWS API requests (attempts), by <c>rpc.service</c> (<c>Batch</c>, <c>DynamoDB</c>),
        /// <c>rpc.method</c> (the operation), <c>outcome</c> (<c>success</c>, <c>throttled</c>, <c>conflict</c> for a failed
        /// DynamoDB condition, which the membership protocol expects, <c>error</c>),
        /// <c>server.address</c> and <c>server.port</c>.
        /// </summary>
        public const string AwsRequests = "orleans.batch.aws.requests";

        /// <summary>Histogram of AWS Batch request durations in seconds, with the tags of <see cref="AwsRequests"/>.</summary>
        public const string AwsRequestDuration = "orleans.batch.aws.request.duration";

        /// <summary>
        /// Histogram of launch durations in seconds, from the call to a connected client (or the failure), by
        /// <c>orleans.cluster_id</c>, <c>orleans_batch.backend</c> and <c>outcome</c> (<c>ready</c>, <c>failed</c>,
        /// <c>cancelled</c>).
        /// </summary>
        public const string LaunchDuration = "orleans.batch.cluster.launch.duration";

        /// <summary>Histogram of tear-down durations in seconds, by <c>orleans.cluster_id</c> and <c>outcome</c> (<c>released</c>, <c>abandoned</c>).</summary>
        public const string TeardownDuration = "orleans.batch.cluster.teardown.duration";

        /// <summary>Counter of silos lost while the cluster ran, by <c>orleans.cluster_id</c> and <c>replacing</c> (<c>true</c> when a replacement was started).</summary>
        public const string SilosLost = "orleans.batch.silos.lost";

        /// <summary>
        /// Gauge of a running cluster's silos by <c>state</c> (<c>joining</c>, <c>active</c>, <c>leaving</c>, <c>replacing</c>,
        /// <c>removing</c>, <c>removed</c>, <c>lost</c>) and <c>orleans.cluster_id</c>, as the manager tracks them.
        /// </summary>
        public const string Silos = "orleans.batch.silos";

        /// <summary>
        /// Gauge of the seconds since the manager last renewed its lease, by <c>orleans.cluster_id</c>: silos stop
        /// themselves when it passes <c>--orphan-timeout</c>.
        /// </summary>
        public const string LeaseAge = "orleans.batch.lease.age";

        /// <summary>
        /// Counter of DynamoDB capacity units consumed by this process's membership requests (as DynamoDB reports them),
        /// by <c>rpc.method</c> and <c>aws.dynamodb.capacity</c> (<c>read</c> or <c>write</c>): on-demand tables bill
        /// request units one for one.
        /// </summary>
        public const string DynamoDBConsumedCapacity = "orleans.batch.dynamodb.consumed_capacity";
    }
}
