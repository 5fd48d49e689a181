using Amazon.Runtime;

namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>
/// Options of <see cref="CloudWatchLogsClient"/>, the reader of AWS Batch job logs. Region and credentials resolve
/// like <see cref="AwsBatchClient"/>'s, so the two clients of one tool sign alike.
/// </summary>
internal sealed class CloudWatchLogsClientOptions
{
    /// <summary>The name settings are reported under in error messages.</summary>
    public const string SectionName = "OrleansBatch:Logs";

    /// <summary>
    /// The AWS region of the log group. Default <see langword="null"/>: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>,
    /// the AWS profile, instance metadata; with a <see cref="ServiceUrl"/> and no region anywhere, <c>us-east-1</c>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// An explicit endpoint, e.g. the Batch emulator, which serves CloudWatch Logs on its Batch address. Default
    /// <see langword="null"/>: <c>https://logs.{region}.{partition DNS suffix}</c>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Attempts per call, including the first, 1 to 20. Default 5 (throttling, 5xx and network failures are retried).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The time one attempt may take. Default 30 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The median delay before the first retry; later retries back off exponentially with jitter. Default 250 ms.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Credentials to sign with. Default <see langword="null"/>: the AWS SDK's default credential chain, resolved at the first call.</summary>
    public AWSCredentials? Credentials { get; set; }
}
