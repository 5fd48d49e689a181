using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Adds the manager side of Orleans.Batch to any .NET host.</summary>
public static class OrleansBatchClusterExtensions
{
    /// <summary>
    /// Registers <see cref="IBatchClusterLauncher"/>, configured from the <c>OrleansBatch:Cluster</c> section and
    /// then <paramref name="configure"/>, validated when the host starts (messages name the setting).
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configure">Settings applied after the configuration section.</param>
    /// <param name="configureClient">The manager's own Orleans client configuration, if any.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddOrleansBatchCluster(
        this IHostApplicationBuilder builder,
        Action<BatchClusterOptions>? configure = null,
        Action<IClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<BatchClusterOptions>()
            .Bind(builder.Configuration.GetSection(BatchClusterOptions.SectionName))
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BatchClusterOptions>, BatchClusterOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IBatchClusterLauncher, BatchClusterLauncherService>();
        if (configureClient is not null)
        {
            builder.Services.AddSingleton<IConfigureBatchClusterClient>(new DelegateClientConfiguration(configureClient));
        }

        return builder;
    }

    private sealed class DelegateClientConfiguration(Action<IClientBuilder> configure) : IConfigureBatchClusterClient
    {
        public void Configure(IClientBuilder client) => configure(client);
    }
}
