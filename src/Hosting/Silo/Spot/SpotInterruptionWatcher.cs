using Amazon.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Silo.Addressing;
using Polly;

namespace Orleans.Batch.Hosting.Silo.Spot;

/// <summary>
/// On EC2 (a Batch job on an EC2 or Spot compute environment), asks the instance metadata service every few seconds
/// whether the instance is about to be reclaimed (<c>spot/instance-action</c>, given two minutes ahead). On a notice
/// the silo leaves the cluster gracefully, so its grains move before the instance goes, and exits with
/// <see cref="SiloExitCodes.Interrupted"/>, which Batch's retry strategy (and the manager) take as a loss to replace.
/// </summary>
internal sealed partial class SpotInterruptionWatcher(
    IHttpClientFactory httpClients,
    IOptions<SiloHostingOptions> options,
    SiloExitStatus exitStatus,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SpotInterruptionWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The metadata endpoint to watch, or null where there is none to ask: outside Batch and ECS, on Fargate (no
    /// instance metadata; Fargate Spot sends SIGTERM, which stops the silo gracefully anyway), with instance metadata
    /// turned off, or when the container has no ECS metadata and no endpoint is configured (not on AWS at all).
    /// </summary>
    internal static Uri? EndpointToWatch(Func<string, string?> environment)
    {
        if (string.IsNullOrEmpty(environment(AwsEnvironmentVariables.BatchJobId))
            || string.Equals(environment(AwsEnvironmentVariables.Ec2MetadataDisabled), "true", StringComparison.OrdinalIgnoreCase)
            || environment(AwsEnvironmentVariables.ExecutionEnvironment) == "AWS_ECS_FARGATE")
        {
            return null;
        }

        if (environment(AwsEnvironmentVariables.Ec2MetadataServiceEndpoint) is { Length: > 0 } configured)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri) ? uri : null;
        }

        return string.IsNullOrEmpty(environment(AwsEnvironmentVariables.EcsContainerMetadataUriV4))
            ? null
            : new Uri(EC2InstanceMetadata.ServiceEndpoint);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.SpotInterruptionCheckPeriod;
        if (period <= TimeSpan.Zero || EndpointToWatch(Environment.GetEnvironmentVariable) is not { } endpoint)
        {
            return;
        }

        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(RequestTimeout).Build();
        var client = new Ec2InstanceMetadataClient(httpClients.CreateClient(SiloAddressResolver.HttpClientName), pipeline);
        LogWatching(logger, endpoint, period.TotalSeconds);
        var failing = false;
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do
            {
                string? notice;
                try
                {
                    notice = await client.GetSpotInstanceActionAsync(endpoint, stoppingToken).ConfigureAwait(false);
                    failing = false;
                }
                catch (Exception exception) when (exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
                {
                    // Said once per outage: a metadata service that does not answer says nothing about Spot.
                    if (!failing)
                    {
                        failing = true;
                        LogCheckFailed(logger, exception);
                    }

                    continue;
                }

                if (notice is not null)
                {
                    LogNotice(logger, notice);
                    exitStatus.ExitCode = SiloExitCodes.Interrupted;
                    lifetime.StopApplication();
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching {Endpoint} for Spot interruption notices every {Seconds} s")]
    private static partial void LogWatching(ILogger logger, Uri endpoint, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spot interruption notice ({Notice}): leaving the cluster so its grains move before the instance goes")]
    private static partial void LogNotice(ILogger logger, string notice);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking for a Spot interruption notice failed; trying again")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
