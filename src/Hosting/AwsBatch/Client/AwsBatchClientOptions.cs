using Amazon.Runtime;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// Options of the AWS Batch API client, bound from the <c>OrleansBatch:Batch</c> configuration section
/// (environment: <c>OrleansBatch__Batch__Region</c>, ...). Validated at start by <see cref="AwsBatchClientOptionsValidator"/>.
/// </summary>
internal sealed class AwsBatchClientOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "OrleansBatch:Batch";

    /// <summary>
    /// The AWS region, e.g. <c>eu-west-1</c>. Default <see langword="null"/>: the region chain, in order
    /// <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the AWS profile's <c>region</c>, EC2 instance metadata; with a
    /// <see cref="ServiceUrl"/> and no region anywhere, the region in the URL's host name or <c>us-east-1</c>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// An explicit endpoint, e.g. the Batch emulator (<c>http://127.0.0.1:5080</c>) or a VPC interface endpoint
    /// (<c>https://vpce-0abc.batch.eu-west-1.vpce.amazonaws.com</c>); requests go to <c>{ServiceUrl}/v1/&lt;operation&gt;</c>.
    /// Default <see langword="null"/>: derived from the region, <c>https://batch.{region}.amazonaws.com</c>
    /// (<c>.amazonaws.com.cn</c> in China, and so on per partition).
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Use the FIPS endpoint of the region. Default <see langword="false"/>. Not combinable with <see cref="ServiceUrl"/>.</summary>
    public bool UseFipsEndpoint { get; set; }

    /// <summary>Use the dual-stack (IPv4 and IPv6) endpoint of the region. Default <see langword="false"/>. Not combinable with <see cref="ServiceUrl"/>.</summary>
    public bool UseDualStackEndpoint { get; set; }

    /// <summary>
    /// Attempts per call, including the first, 1 to 20. Default 5. Throttling, 5xx responses, network failures and
    /// timeouts are retried with jittered exponential backoff; other errors are not.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The time one attempt may take, from sending to the end of the response body. Default 30 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The median delay before the first retry; later retries back off exponentially with jitter. Default 250 ms.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between two attempts. Default 20 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Credentials to sign with (not bindable from configuration). Default <see langword="null"/>: the AWS SDK's default
    /// credential chain, resolved at the first call: environment variables, the profile (<c>AWS_PROFILE</c>, including
    /// SSO and assume-role), web identity, ECS container credentials, EC2 instance metadata.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }
}
