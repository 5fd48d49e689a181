using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Batch.BatchEmulator.Admin;
using Orleans.Batch.BatchEmulator.Api;
using Orleans.Batch.BatchEmulator.Faults;
using Orleans.Batch.BatchEmulator.Jobs;
using Orleans.Batch.BatchEmulator.Logs;
using Orleans.Batch.BatchEmulator.Processes;
using Orleans.Batch.BatchEmulator.Security;
using Orleans.Batch.BatchEmulator.Stats;

namespace Orleans.Batch.BatchEmulator;

/// <summary>
/// A running Batch emulator: the Batch REST-JSON API, a CloudWatch Logs GetLogEvents endpoint and the admin API
/// under <c>/_emulator</c>, on 127.0.0.1. Start it in-process with <see cref="StartAsync(BatchEmulatorOptions, CancellationToken)"/>,
/// or run the executable (see README.md). Disposing it kills every process it started.
/// </summary>
public sealed class BatchEmulatorHost : IAsyncDisposable
{
    /// <summary>The line the executable prints once it serves requests, followed by the base address.</summary>
    public const string ReadyLinePrefix = "Batch emulator listening on ";

    /// <summary>The line the executable prints before the ready line when it runs DynamoDB Local, followed by its address.</summary>
    public const string DynamoDBLinePrefix = "DynamoDB Local listening on ";

    private readonly WebApplication _app;
    private readonly DynamoDBLocalProcess? _dynamoDB;
    private readonly CancellationTokenSource _watching = new();
    private Lazy<Task>? _disposal;

    private BatchEmulatorHost(WebApplication app, Uri baseAddress, DynamoDBLocalProcess? dynamoDB)
    {
        _app = app;
        _dynamoDB = dynamoDB;
        BaseAddress = baseAddress;
    }

    /// <summary>DynamoDB Local's address when <see cref="BatchEmulatorOptions.DynamoDBLocalDirectory"/> is set; else null.</summary>
    public Uri? DynamoDBEndpoint => _dynamoDB?.Endpoint;

    /// <summary>Where the emulator listens, e.g. <c>http://127.0.0.1:41234/</c>: the Batch and Logs endpoint alike.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Completes once the emulator has stopped (disposed, <c>POST /_emulator/shutdown</c>, or Ctrl+C).</summary>
    public Task Stopped => _stopped.Task;

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts an emulator in this process, without console logging.</summary>
    public static Task<BatchEmulatorHost> StartAsync(BatchEmulatorOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, TimeProvider.System, configureLogging: null, cancellationToken);

    /// <summary>Starts an emulator in this process.</summary>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="timeProvider">The clock of the state machine (transition delays, timeouts, grace periods).</param>
    /// <param name="configureLogging">Adds logging providers; none by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<BatchEmulatorHost> StartAsync(
        BatchEmulatorOptions options,
        TimeProvider timeProvider,
        Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken = default) =>
        StartAsync(options, timeProvider, configureLogging, useConsoleLifetime: false, cancellationToken);

    internal static async Task<BatchEmulatorHost> StartAsync(
        BatchEmulatorOptions options,
        TimeProvider timeProvider,
        Action<ILoggingBuilder>? configureLogging,
        bool useConsoleLifetime,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(BatchEmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        if (useConsoleLifetime)
        {
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }
        else
        {
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(timeProvider);
        builder.Services.AddSingleton(_ => new JobLogStore(options.MaxLogEventsPerStream));
        builder.Services.AddSingleton(sp => new JobEngine(
            options, timeProvider, sp.GetRequiredService<JobLogStore>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Batch.BatchEmulator.Jobs")));
        builder.Services.AddSingleton<BatchService>();
        builder.Services.AddSingleton<SignatureGate>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<ApiCallCounters>();
        builder.Services.AddSingleton<BatchApi>();
        builder.Services.AddSingleton<CloudWatchLogsApi>();
        builder.Services.AddSingleton<AdminApi>();
        builder.Services.AddSingleton<Spot.SpotApi>();
        builder.Services.AddHostedService<EngineService>();

        var app = builder.Build();
        app.Use(static (context, next) =>
        {
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            return next(context);
        });
        app.MapPost("/v1/{operation}", app.Services.GetRequiredService<BatchApi>().HandleAsync);
        app.MapPost("/", app.Services.GetRequiredService<CloudWatchLogsApi>().HandleAsync);
        app.Services.GetRequiredService<AdminApi>().Map(app);
        app.Services.GetRequiredService<Spot.SpotApi>().Map(app);

        var dynamoDB = options.DynamoDBLocalDirectory is { } directory
            ? await DynamoDBLocalProcess.StartAsync(directory, cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (dynamoDB is not null)
            {
                await dynamoDB.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new BatchEmulatorHost(app, new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/"), dynamoDB);
        app.Services.GetRequiredService<JobEngine>().MetadataBaseAddress = host.BaseAddress;
        app.Lifetime.ApplicationStopped.Register(() => host._stopped.TrySetResult());
        if (options.ExitWithProcessId is { } watched)
        {
            _ = host.StopWhenGoneAsync(watched);
        }

        return host;
    }

    /// <summary>The rehearsal's safety net: the manager that started us is gone (even killed), so stop every job.</summary>
    private async Task StopWhenGoneAsync(int processId)
    {
        try
        {
            while (PosixSignals.Send(processId, 0))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _watching.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return; // disposed
        }

        // Stop for real (jobs, containers, DynamoDB Local), hosted in-process or as the executable alike.
        _app.Lifetime.StopApplication();
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until the emulator is asked to stop (admin shutdown, Ctrl+C or SIGTERM), then stops it.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server and kills every process the emulator started, waiting until they are gone.</summary>
    /// <remarks>Every caller waits for the same, whole shutdown (jobs, then DynamoDB Local), whoever started it.</remarks>
    public ValueTask DisposeAsync()
    {
        var disposal = new Lazy<Task>(DisposeCoreAsync);
        return new ValueTask((Interlocked.CompareExchange(ref _disposal, disposal, null) ?? disposal).Value);
    }

    private async Task DisposeCoreAsync()
    {
        await _watching.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_dynamoDB is not null)
        {
            await _dynamoDB.DisposeAsync().ConfigureAwait(false);
        }

        _watching.Dispose();
        _stopped.TrySetResult();
    }

    /// <summary>Runs the state machine for the lifetime of the host, and kills the job processes when it stops.</summary>
    private sealed class EngineService(JobEngine engine, BatchService batch, BatchEmulatorOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            engine.Mutate(() =>
            {
                foreach (var queue in options.Queues)
                {
                    engine.GetOrAddQueue(queue, queue + "-ce");
                }

                return 0;
            });

            foreach (var definition in options.JobDefinitions)
            {
                // name or name=image; the image defaults to the name.
                var equals = definition.IndexOf('=', StringComparison.Ordinal);
                var (name, image) = equals < 0 ? (definition, definition) : (definition[..equals], definition[(equals + 1)..]);
                using var container = System.Text.Json.JsonDocument.Parse(
                    System.Text.Json.JsonSerializer.Serialize(new Api.Model.ContainerPropertiesShape { Image = image }, EmulatorJsonContext.Default.ContainerPropertiesShape));
                batch.RegisterJobDefinition(new Api.Model.RegisterJobDefinitionRequest
                {
                    JobDefinitionName = name,
                    Type = "container",
                    ContainerProperties = container.RootElement.Clone(),
                });
            }

            engine.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => engine.DisposeAsync().AsTask();
    }

    /// <summary>An in-process emulator must not react to the test process's Ctrl+C or SIGTERM.</summary>
    private sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
