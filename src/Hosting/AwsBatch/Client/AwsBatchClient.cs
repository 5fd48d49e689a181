using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.AwsBatch.Model;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// AWS Batch over <see cref="HttpClient"/>: REST-JSON (<c>POST /v1/&lt;operation&gt;</c>), signed by the AWS SDK's
/// <c>SigV4SigningHandler</c> with the SDK's credential and region chains. Each attempt is a fresh, freshly signed
/// request; throttling, 5xx responses, network failures and per-attempt timeouts are retried with jittered
/// exponential backoff (Polly), up to <see cref="AwsBatchClientOptions.MaxAttempts"/>.
/// </summary>
/// <remarks>
/// Register with <see cref="AwsBatchServiceCollectionExtensions.AddAwsBatchClient"/>, or construct directly with
/// <see cref="AwsBatchClient(AwsBatchClientOptions, ILoggerFactory?, TimeProvider?)"/> (then dispose it). Thread-safe.
/// </remarks>
internal sealed class AwsBatchClient : IAwsBatchClient, IDisposable
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client used by the DI registration (add handlers to it if needed).</summary>
    public const string HttpClientName = "Orleans.Batch.AwsBatch";

    /// <summary>How far before the first <c>SubmitJob</c> attempt a job found by name may have been created (clock skew).</summary>
    internal static readonly TimeSpan SubmitLookupClockSkew = TimeSpan.FromMinutes(5);

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly AwsBatchConnection _connection;
    private readonly Func<HttpClient>? _httpClientFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _retryPipeline;
    private readonly ResiliencePipeline _attemptTimeoutPipeline;
    private readonly Lock _ownedClientLock = new();
    private HttpClient? _ownedHttpClient;
    private bool _disposed;

    /// <summary>
    /// Creates a client without dependency injection (e.g. in a command-line tool). It owns its HTTP connections; dispose it.
    /// </summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="timeProvider">Time for retry delays; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the settings.</exception>
    public AwsBatchClient(AwsBatchClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(Validated(options), AwsRegionResolver.Default, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AwsBatchClient>(), timeProvider ?? TimeProvider.System)
    {
    }

    /// <param name="connection">The endpoint and credentials.</param>
    /// <param name="httpClientFactory">Hands out clients whose handler chain signs (IHttpClientFactory); null to own one.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">Time for retry delays and timeouts.</param>
    internal AwsBatchClient(AwsBatchConnection connection, Func<HttpClient>? httpClientFactory, ILogger logger, TimeProvider timeProvider)
    {
        _connection = connection;
        _httpClientFactory = httpClientFactory;
        _logger = logger;
        _timeProvider = timeProvider;
        _retryPipeline = BuildRetryPipeline(connection.Options, timeProvider, logger);
        _attemptTimeoutPipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddTimeout(connection.Options.AttemptTimeout).Build();
    }

    private AwsBatchClient(AwsBatchClientOptions options, AwsRegionResolver regionResolver, ILogger logger, TimeProvider timeProvider)
        : this(new AwsBatchConnection(options, regionResolver, logger), httpClientFactory: null, logger, timeProvider)
    {
    }

    /// <summary>
    /// Where requests go; resolves the region chain and endpoint rules on first use.
    /// </summary>
    /// <returns>The endpoint.</returns>
    /// <exception cref="AwsBatchException">No region is configured, or the configured one is malformed.</exception>
    public AwsBatchEndpoint GetEndpoint() => _connection.GetEndpoint("ResolveEndpoint");

    /// <inheritdoc />
    public async Task<SubmitJobResponse> SubmitJobAsync(SubmitJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.JobName, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.JobQueue, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.JobDefinition, nameof(request));
        if (request.ArrayProperties?.Size is < 2 or > 10_000)
        {
            throw new ArgumentException($"An array job's size must be between 2 and 10000 (was {request.ArrayProperties.Size}).", nameof(request));
        }

        return await InvokeAsync(
            "SubmitJob",
            request,
            AwsBatchJsonContext.Default.SubmitJobRequest,
            AwsBatchJsonContext.Default.SubmitJobResponse,
            (state, token) => FindSubmittedJobAsync(request, state, token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<DescribeJobsResponse> DescribeJobsAsync(DescribeJobsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Jobs, nameof(request));
        if (request.Jobs.Count > DescribeJobsRequest.MaxJobIds)
        {
            throw new ArgumentException(
                $"DescribeJobs takes at most {DescribeJobsRequest.MaxJobIds} job ids (got {request.Jobs.Count}); use the DescribeJobsAsync(IEnumerable<string>) extension to describe more.",
                nameof(request));
        }

        return request.Jobs.Count == 0
            ? Task.FromResult(new DescribeJobsResponse())
            : InvokeAsync("DescribeJobs", request, AwsBatchJsonContext.Default.DescribeJobsRequest, AwsBatchJsonContext.Default.DescribeJobsResponse, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task TerminateJobAsync(TerminateJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.JobId, nameof(request));
        return InvokeAsync<TerminateJobRequest, object>("TerminateJob", request, AwsBatchJsonContext.Default.TerminateJobRequest, null, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task CancelJobAsync(CancelJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.JobId, nameof(request));
        return InvokeAsync<CancelJobRequest, object>("CancelJob", request, AwsBatchJsonContext.Default.CancelJobRequest, null, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ListJobsResponse> ListJobsAsync(ListJobsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync("ListJobs", request, AwsBatchJsonContext.Default.ListJobsRequest, AwsBatchJsonContext.Default.ListJobsResponse, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeComputeEnvironmentsResponse> DescribeComputeEnvironmentsAsync(DescribeComputeEnvironmentsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync("DescribeComputeEnvironments", request, AwsBatchJsonContext.Default.DescribeComputeEnvironmentsRequest, AwsBatchJsonContext.Default.DescribeComputeEnvironmentsResponse, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeJobQueuesResponse> DescribeJobQueuesAsync(DescribeJobQueuesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync("DescribeJobQueues", request, AwsBatchJsonContext.Default.DescribeJobQueuesRequest, AwsBatchJsonContext.Default.DescribeJobQueuesResponse, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DescribeJobDefinitionsResponse> DescribeJobDefinitionsAsync(DescribeJobDefinitionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync("DescribeJobDefinitions", request, AwsBatchJsonContext.Default.DescribeJobDefinitionsRequest, AwsBatchJsonContext.Default.DescribeJobDefinitionsResponse, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegisterJobDefinitionResponse> RegisterJobDefinitionAsync(RegisterJobDefinitionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.JobDefinitionName, nameof(request));
        return InvokeAsync("RegisterJobDefinition", request, AwsBatchJsonContext.Default.RegisterJobDefinitionRequest, AwsBatchJsonContext.Default.RegisterJobDefinitionResponse, null, cancellationToken);
    }

    /// <summary>Closes the connections this client owns (only when constructed without dependency injection).</summary>
    public void Dispose()
    {
        lock (_ownedClientLock)
        {
            _disposed = true;
            _ownedHttpClient?.Dispose();
            _ownedHttpClient = null;
        }
    }

    private static AwsBatchClientOptions Validated(AwsBatchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new AwsBatchClientOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(AwsBatchClientOptions), result.Failures) : options;
    }

    private static ResiliencePipeline BuildRetryPipeline(AwsBatchClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is AwsBatchException { IsRetryable: true }),
                OnRetry = args =>
                {
                    var error = (AwsBatchException)args.Outcome.Exception!;
                    AwsBatchClientLog.Retrying(logger, error.Operation, args.AttemptNumber + 1, error.ErrorCode, (int?)error.StatusCode, error.RequestId, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse>? responseType,
        Func<InvocationState, CancellationToken, Task<TResponse?>>? beforeResendAfterAmbiguousFailure,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var endpoint = _connection.GetEndpoint(operation);
        var uri = endpoint.GetOperationUri(operation);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var state = new InvocationState(operation, uri, _timeProvider.GetUtcNow());
        try
        {
            return await _retryPipeline.ExecuteAsync(
                async token =>
                {
                    state.Attempt++;
                    if (state.EarlierAttemptAmbiguous && beforeResendAfterAmbiguousFailure is not null
                        && await beforeResendAfterAmbiguousFailure(state, token).ConfigureAwait(false) is { } existing)
                    {
                        return existing;
                    }

                    return await SendAttemptAsync(state, body, responseType, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsBatchException e) when (e.Operation == operation)
        {
            e.Attempts = state.Attempt;
            AwsBatchClientLog.Failed(_logger, operation, state.Attempt, e.ErrorCode, (int?)e.StatusCode, e.RequestId);
            throw;
        }
    }

    private async Task<TResponse> SendAttemptAsync<TResponse>(InvocationState state, byte[] body, JsonTypeInfo<TResponse>? responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        var httpClient = GetHttpClient();
        AwsBatchClientLog.Sending(_logger, state.Operation, state.Attempt, state.Uri);
        var started = _timeProvider.GetTimestamp();
        try
        {
            return await _attemptTimeoutPipeline.ExecuteAsync(
                async token =>
                {
                    // A fresh message per attempt: the signing handler signs it with a current timestamp.
                    using var message = new HttpRequestMessage(HttpMethod.Post, state.Uri)
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
                    };
                    message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

                    using var response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    var bytes = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                    var elapsed = _timeProvider.GetElapsedTime(started);
                    var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
                    AwsBatchClientLog.Received(_logger, state.Operation, state.Attempt, (int)response.StatusCode, elapsed.TotalMilliseconds, requestId);
                    Diagnostics.Internal.ClusterTelemetry.AwsRequest(Diagnostics.Internal.ClusterTelemetry.BatchService, state.Operation, Diagnostics.Internal.ClusterTelemetry.Outcome((int)response.StatusCode, errorCode: null), state.Uri, elapsed);

                    if (!response.IsSuccessStatusCode)
                    {
                        throw AwsBatchErrors.FromResponse(state.Operation, response, bytes);
                    }

                    return Deserialize(state.Operation, response, bytes, responseType);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AwsBatchException && !cancellationToken.IsCancellationRequested && CountFailedAttempt(state, started))
        {
            throw; // not reached: the filter only counts
        }
        catch (AwsBatchException e)
        {
            state.EarlierAttemptAmbiguous |= e.IsAmbiguous;
            throw;
        }
        catch (CredentialsUnavailableException e)
        {
            throw AwsBatchErrors.CredentialsUnavailable(state.Operation, e.InnerException ?? e);
        }
        catch (TimeoutRejectedException e)
        {
            state.EarlierAttemptAmbiguous = true;
            throw AwsBatchErrors.Timeout(state.Operation, state.Uri, _connection.Options.AttemptTimeout, e);
        }
        catch (HttpRequestException e)
        {
            var ambiguous = e.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);
            state.EarlierAttemptAmbiguous |= ambiguous;
            throw AwsBatchErrors.Network(state.Operation, state.Uri, e, ambiguous);
        }
        catch (IOException e)
        {
            state.EarlierAttemptAmbiguous = true;
            throw AwsBatchErrors.Network(state.Operation, state.Uri, e, ambiguous: true);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout of a factory client that was not left infinite.
            state.EarlierAttemptAmbiguous = true;
            throw AwsBatchErrors.Timeout(state.Operation, state.Uri, _connection.Options.AttemptTimeout, e);
        }
    }

    // An attempt that got no answer (network, timeout) counts as an error; answered ones were counted on arrival.
    private bool CountFailedAttempt(InvocationState state, long started)
    {
        Diagnostics.Internal.ClusterTelemetry.AwsRequest(Diagnostics.Internal.ClusterTelemetry.BatchService, state.Operation, "error", state.Uri, _timeProvider.GetElapsedTime(started));
        return false;
    }

    private static TResponse Deserialize<TResponse>(string operation, HttpResponseMessage response, byte[] bytes, JsonTypeInfo<TResponse>? responseType)
        where TResponse : class
    {
        if (responseType is null)
        {
            // TerminateJob and CancelJob answer with an empty object; there is nothing to read.
            return null!;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes.Length == 0 ? "{}"u8 : bytes, responseType)
                ?? throw new JsonException("The response body is the JSON null.");
        }
        catch (JsonException e)
        {
            throw AwsBatchErrors.InvalidResponse(operation, response, e);
        }
    }

    private async Task<SubmitJobResponse?> FindSubmittedJobAsync(SubmitJobRequest request, InvocationState state, CancellationToken cancellationToken)
    {
        AwsBatchClientLog.LookingUpSubmittedJob(_logger, request.JobName);
        var notBefore = state.FirstAttemptAt - SubmitLookupClockSkew;
        JobSummary? newest = null;
        try
        {
            // A name filter lists every status, so a job that already finished or failed is found too.
            var lookup = new ListJobsRequest { JobQueue = request.JobQueue, Filters = [ListJobsFilter.ForJobName(request.JobName)] };
            await foreach (var job in this.ListAllJobsAsync(lookup, cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(job.JobName, request.JobName, StringComparison.Ordinal)
                    && (job.CreatedAt is null || job.CreatedAt >= notBefore)
                    && (newest is null || job.CreatedAt > newest.CreatedAt))
                {
                    newest = job;
                }
            }
        }
        catch (AwsBatchException e)
        {
            throw AwsBatchErrors.SubmitJobOutcomeUnknown(request.JobName, e);
        }

        if (newest is null)
        {
            AwsBatchClientLog.SubmittedJobNotFound(_logger, request.JobName);
            return null;
        }

        AwsBatchClientLog.FoundSubmittedJob(_logger, newest.JobName, newest.JobId);
        return new SubmitJobResponse { JobId = newest.JobId, JobName = newest.JobName, JobArn = newest.JobArn };
    }

    private HttpClient GetHttpClient()
    {
        if (_httpClientFactory is not null)
        {
            return _httpClientFactory();
        }

        lock (_ownedClientLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ownedHttpClient ??= new HttpClient(_connection.CreateSigningHandler(AwsBatchConnection.CreateTransport()))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }
    }

    /// <summary>What one call has seen across its attempts.</summary>
    private sealed class InvocationState(string operation, Uri uri, DateTimeOffset firstAttemptAt)
    {
        public string Operation { get; } = operation;

        public Uri Uri { get; } = uri;

        public DateTimeOffset FirstAttemptAt { get; } = firstAttemptAt;

        public int Attempt { get; set; }

        /// <summary>Sticky: once an attempt may have been processed, every later one must check before resending.</summary>
        public bool EarlierAttemptAmbiguous { get; set; }
    }
}
