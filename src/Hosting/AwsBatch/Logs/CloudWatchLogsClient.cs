using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Orleans.Batch.Hosting.AwsBatch.Logs;

/// <summary>
/// A small CloudWatch Logs client for reading AWS Batch job logs (<c>GetLogEvents</c>), over <see cref="HttpClient"/>:
/// the JSON 1.1 protocol (<c>POST /</c>, <c>X-Amz-Target: Logs_20140328.&lt;operation&gt;</c>), signed by AWSSDK.Core's
/// <see cref="SigV4SigningHandler"/> with the same credential and region chains as <see cref="AwsBatchClient"/>.
/// Throttling, 5xx responses, network failures and timeouts are retried with jittered exponential backoff.
/// Failures are <see cref="AwsBatchException"/>s whose <see cref="AwsBatchException.Service"/> is <c>CloudWatch Logs</c>.
/// </summary>
internal partial class CloudWatchLogsClient : IDisposable
{
    private const string ServiceName = "CloudWatch Logs";
    private const string TargetPrefix = "Logs_20140328.";
    private static readonly MediaTypeHeaderValue Json11 = new("application/x-amz-json-1.1");

    private readonly CloudWatchLogsClientOptions _options;
    private readonly AwsRegionResolver _regionResolver;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly Lock _lock = new();
    private CloudWatchLogsEndpoint? _endpoint;
    private HttpClient? _http;
    private bool _disposed;

    /// <summary>Creates a client; it owns its HTTP connections, so dispose it.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="timeProvider">Time for retry delays and timeouts; the system clock by default.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the setting.</exception>
    public CloudWatchLogsClient(CloudWatchLogsClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(options, AwsRegionResolver.Default, loggerFactory, timeProvider)
    {
    }

    internal CloudWatchLogsClient(CloudWatchLogsClientOptions options, AwsRegionResolver regionResolver, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _regionResolver = regionResolver;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CloudWatchLogsClient>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        var retry = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };
        if (options.MaxAttempts > 1)
        {
            retry.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseRetryDelay,
                MaxDelay = TimeSpan.FromSeconds(20),
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is AwsBatchException { IsRetryable: true }),
                OnRetry = args =>
                {
                    var error = (AwsBatchException)args.Outcome.Exception!;
                    LogRetrying(_logger, error.Operation, args.AttemptNumber + 1, error.ErrorCode, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _retry = retry.Build();
        _attemptTimeout = new ResiliencePipelineBuilder { TimeProvider = _timeProvider }.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>Where requests go; resolves the region chain on first use.</summary>
    /// <returns>The endpoint.</returns>
    /// <exception cref="AwsBatchException">No region is configured, or it is malformed.</exception>
    public CloudWatchLogsEndpoint GetEndpoint() => GetEndpoint("ResolveEndpoint");

    /// <summary>Reads one page of a log stream.</summary>
    /// <param name="request">The group, stream, direction and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public async Task<GetLogEventsResponse> GetLogEventsAsync(GetLogEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.LogGroupName, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.LogStreamName, nameof(request));
        const string operation = "GetLogEvents";
        var body = JsonSerializer.SerializeToUtf8Bytes(request, CloudWatchLogsJsonContext.Default.GetLogEventsRequest);
        var attempts = 0;
        try
        {
            return await _retry.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await SendAsync(operation, body, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsBatchException e) when (e.Operation == operation)
        {
            e.Attempts = attempts;
            throw;
        }
    }

    /// <summary>
    /// Every event of a stream, oldest first: <c>GetLogEvents</c> from the head, following <c>nextForwardToken</c>
    /// page by page until the service hands back the token it was sent (the end of the stream).
    /// </summary>
    /// <param name="logGroupName">The log group.</param>
    /// <param name="logStreamName">The log stream.</param>
    /// <param name="pageSize">Events per call, 1 to 10000; null for the service's default (up to 1 MB).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    public async IAsyncEnumerable<OutputLogEvent> ReadStreamAsync(string logGroupName, string logStreamName, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize ?? 1, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize ?? 1, 10_000);
        string? token = null;
        while (true)
        {
            var page = await GetLogEventsAsync(
                new GetLogEventsRequest { LogGroupName = logGroupName, LogStreamName = logStreamName, StartFromHead = true, NextToken = token, Limit = pageSize },
                cancellationToken).ConfigureAwait(false);
            foreach (var logEvent in page.Events)
            {
                yield return logEvent;
            }

            if (string.IsNullOrEmpty(page.NextForwardToken) || page.NextForwardToken == token)
            {
                yield break;
            }

            token = page.NextForwardToken;
        }
    }

    /// <summary>Closes the client's connections.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _http?.Dispose();
            _http = null;
        }
    }

    private static void Validate(CloudWatchLogsClientOptions options)
    {
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"{CloudWatchLogsClientOptions.SectionName}:{nameof(options.MaxAttempts)} must be between 1 and 20 (was {options.MaxAttempts}).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{CloudWatchLogsClientOptions.SectionName}:{nameof(options.AttemptTimeout)} must be positive.");
        }

        if (options.BaseRetryDelay < TimeSpan.Zero)
        {
            failures.Add($"{CloudWatchLogsClientOptions.SectionName}:{nameof(options.BaseRetryDelay)} must not be negative.");
        }

        if (options.ServiceUrl is { } url && !AwsBatchEndpoint.TryParseServiceUrl(url, out _))
        {
            failures.Add($"{CloudWatchLogsClientOptions.SectionName}:{nameof(options.ServiceUrl)} must be an absolute http:// or https:// URL without query or fragment (was '{url}').");
        }

        if (!string.IsNullOrWhiteSpace(options.Region) && !AwsBatchEndpoint.IsValidRegionName(options.Region.Trim()))
        {
            failures.Add($"{CloudWatchLogsClientOptions.SectionName}:{nameof(options.Region)} must be an AWS region name such as 'us-east-1' (was '{options.Region}').");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CloudWatchLogsClientOptions), failures);
        }
    }

    private CloudWatchLogsEndpoint GetEndpoint(string operation)
    {
        lock (_lock)
        {
            if (_endpoint is not null)
            {
                return _endpoint;
            }

            try
            {
                var region = _regionResolver.Resolve(_options.Region, CloudWatchLogsClientOptions.SectionName + ":Region", _options.ServiceUrl, operation).Region;
                _endpoint = _options.ServiceUrl is { } url ? CloudWatchLogsEndpoint.ForServiceUrl(url, region) : CloudWatchLogsEndpoint.ForRegion(region);
            }
            catch (AwsBatchException e)
            {
                e.Service = ServiceName;
                throw;
            }
            catch (ArgumentException e)
            {
                throw new AwsBatchException(operation, "InvalidConfiguration", e.Message, innerException: e) { Service = ServiceName };
            }

            LogEndpointResolved(_logger, _endpoint.ServiceUri, _endpoint.SigningRegion);
            return _endpoint;
        }
    }

    private HttpClient GetHttpClient(CloudWatchLogsEndpoint endpoint)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _http ??= new HttpClient(new SigV4SigningHandler(
                new AwsBatchCredentials(_options.Credentials),
                RegionEndpoint.GetBySystemName(endpoint.SigningRegion),
                CloudWatchLogsEndpoint.SigningName,
                AwsBatchConnection.CreateTransport()))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }
    }

    private async Task<GetLogEventsResponse> SendAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var endpoint = GetEndpoint(operation);
        var http = GetHttpClient(endpoint);
        try
        {
            return await _attemptTimeout.ExecuteAsync(
                async token =>
                {
                    // A fresh message per attempt: the signing handler signs it with a current timestamp.
                    using var message = new HttpRequestMessage(HttpMethod.Post, endpoint.ServiceUri)
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = Json11 } },
                    };
                    message.Headers.Add("X-Amz-Target", TargetPrefix + operation);
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    var bytes = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                    LogReceived(_logger, operation, (int)response.StatusCode);
                    if (!response.IsSuccessStatusCode)
                    {
                        var error = AwsBatchErrors.FromResponse(operation, response, bytes);
                        error.Service = ServiceName;
                        throw error;
                    }

                    try
                    {
                        return JsonSerializer.Deserialize(bytes.Length == 0 ? "{}"u8 : bytes, CloudWatchLogsJsonContext.Default.GetLogEventsResponse)
                            ?? throw new JsonException("The response body is the JSON null.");
                    }
                    catch (JsonException e)
                    {
                        throw Named(AwsBatchErrors.InvalidResponse(operation, response, e));
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialsUnavailableException e)
        {
            throw Named(AwsBatchErrors.CredentialsUnavailable(operation, e.InnerException ?? e));
        }
        catch (TimeoutRejectedException e)
        {
            throw Named(AwsBatchErrors.Timeout(operation, endpoint.ServiceUri, _options.AttemptTimeout, e));
        }
        catch (HttpRequestException e)
        {
            throw Named(AwsBatchErrors.Network(operation, endpoint.ServiceUri, e, ambiguous: false));
        }
        catch (IOException e)
        {
            throw Named(AwsBatchErrors.Network(operation, endpoint.ServiceUri, e, ambiguous: false));
        }
    }

    private static AwsBatchException Named(AwsBatchException exception)
    {
        exception.Service = ServiceName;
        return exception;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "CloudWatch Logs endpoint {Endpoint}, signing region {Region}")]
    private static partial void LogEndpointResolved(ILogger logger, Uri endpoint, string region);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CloudWatch Logs {Operation} answered {Status}")]
    private static partial void LogReceived(ILogger logger, string operation, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying CloudWatch Logs {Operation} (attempt {Attempt}) after {ErrorCode} in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string operation, int attempt, string errorCode, double delayMs);
}
