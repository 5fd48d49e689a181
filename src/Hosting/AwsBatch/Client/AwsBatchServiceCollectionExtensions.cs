using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>Registers the AWS Batch client with dependency injection.</summary>
internal static class AwsBatchServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAwsBatchClient"/> as a singleton over an <see cref="IHttpClientFactory"/> client named
    /// <see cref="AwsBatchClient.HttpClientName"/>. Options are bound from the <c>OrleansBatch:Batch</c> section of
    /// <see cref="IConfiguration"/> (when one is registered), then <paramref name="configure"/> runs; they are
    /// validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Optional configuration applied after binding, e.g. from command-line flags.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddAwsBatchClient(this IServiceCollection services, Action<AwsBatchClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<AwsBatchClientOptions>()
            .Configure<IServiceProvider>(static (options, provider) => provider.GetService<IConfiguration>()?.GetSection(AwsBatchClientOptions.SectionName).Bind(options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsBatchClientOptions>, AwsBatchClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(static provider => new AwsBatchConnection(
            provider.GetRequiredService<IOptions<AwsBatchClientOptions>>().Value,
            AwsRegionResolver.Default,
            CreateLogger(provider)));

        // The signing handler is the primary handler (it owns the socket transport): IHttpClientFactory only accepts
        // delegating handlers without an inner handler, and handlers added by users then run before signing.
        services.AddHttpClient(AwsBatchClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static provider => provider.GetRequiredService<AwsBatchConnection>().CreateSigningHandler(AwsBatchConnection.CreateTransport()))
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);

        services.TryAddSingleton<IAwsBatchClient>(static provider =>
        {
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            return new AwsBatchClient(
                provider.GetRequiredService<AwsBatchConnection>(),
                () => factory.CreateClient(AwsBatchClient.HttpClientName),
                CreateLogger(provider),
                provider.GetRequiredService<TimeProvider>());
        });

        return services;
    }

    private static ILogger CreateLogger(IServiceProvider provider)
        => (provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<AwsBatchClient>();
}
