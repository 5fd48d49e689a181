using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>Registers the DynamoDB membership provider on Orleans silos and clients.</summary>
public static class DynamoDBMembershipHostingExtensions
{
    /// <summary>Uses the DynamoDB membership table for this silo.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder UseDynamoDBMembership(this ISiloBuilder builder, Action<DynamoDBMembershipOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseDynamoDBMembership(options => options.Configure(configure));
    }

    /// <summary>
    /// Uses the DynamoDB membership table for this silo, configuring the options through an
    /// <see cref="OptionsBuilder{TOptions}"/>, e.g. <c>o =&gt; o.BindConfiguration(DynamoDBMembershipOptions.SectionName)</c>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Configures the options builder.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder UseDynamoDBMembership(this ISiloBuilder builder, Action<OptionsBuilder<DynamoDBMembershipOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IMembershipTable>(services => new DynamoDBMembershipTable(
            services.GetRequiredService<IOptions<DynamoDBMembershipOptions>>(),
            services.GetRequiredService<IOptions<ClusterOptions>>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            client: null,
            turns: services.GetService<MembershipTurnContext>()));
        return builder;
    }

    /// <summary>Uses the DynamoDB membership table as this client's gateway list.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IClientBuilder UseDynamoDBMembership(this IClientBuilder builder, Action<DynamoDBMembershipOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseDynamoDBMembership(options => options.Configure(configure));
    }

    /// <summary>
    /// Uses the DynamoDB membership table as this client's gateway list, configuring the options through an
    /// <see cref="OptionsBuilder{TOptions}"/>, e.g. <c>o =&gt; o.BindConfiguration(DynamoDBMembershipOptions.SectionName)</c>.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the options builder.</param>
    /// <returns>The builder.</returns>
    public static IClientBuilder UseDynamoDBMembership(this IClientBuilder builder, Action<OptionsBuilder<DynamoDBMembershipOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IGatewayListProvider>(services => new DynamoDBGatewayListProvider(
            services.GetRequiredService<IOptions<DynamoDBMembershipOptions>>(),
            services.GetRequiredService<IOptions<ClusterOptions>>(),
            services.GetRequiredService<IOptions<GatewayOptions>>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }

    private static void AddOptions(IServiceCollection services, Action<OptionsBuilder<DynamoDBMembershipOptions>> configure)
    {
        configure(services.AddOptions<DynamoDBMembershipOptions>().ValidateOnStart());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamoDBMembershipOptions>, DynamoDBMembershipOptionsValidator>());
    }
}
