using System.Net;
using Polly;
using Polly.Retry;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Builds the resilience pipeline around one metadata request: a timeout, inside a retry of transient failures.</summary>
internal static class MetadataRequestPipeline
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    public static ResiliencePipeline Create(SiloAddressOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MetadataRetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MetadataRetryCount,
                Delay = FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                // A timeout is not retried: a metadata endpoint that does not answer within the timeout is almost
                // always one that is not there (or one the container cannot reach), and waiting again only delays
                // the start.
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(IsTransient),
            });
        }

        return builder.AddTimeout(options.MetadataRequestTimeout).Build();
    }

    /// <summary>A refused or reset connection, throttling, or a server error.</summary>
    public static bool IsTransient(HttpRequestException exception) => exception.StatusCode switch
    {
        null => true,
        HttpStatusCode.TooManyRequests => true,
        var status => (int)status >= 500,
    };
}
