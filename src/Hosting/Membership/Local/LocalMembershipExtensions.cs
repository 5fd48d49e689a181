using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Messaging;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>Registers the file-based membership table on silos and clients of a local cluster.</summary>
public static class LocalMembershipExtensions
{
    /// <summary>Uses a membership table file shared by every silo on this machine.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads extend different builders (silo, client); they never compete.")]
    public static ISiloBuilder UseLocalFileMembership(this ISiloBuilder builder, Action<OptionsBuilder<LocalMembershipOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IMembershipTable, FileMembershipTable>();
        return builder;
    }

    /// <summary>Reads the cluster's gateways from the membership table file.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads extend different builders (silo, client); they never compete.")]
    public static IClientBuilder UseLocalFileMembership(this IClientBuilder builder, Action<OptionsBuilder<LocalMembershipOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IGatewayListProvider, FileGatewayListProvider>();
        return builder;
    }

    private static void AddOptions(IServiceCollection services, Action<OptionsBuilder<LocalMembershipOptions>>? configure)
    {
        var options = services.AddOptions<LocalMembershipOptions>();
        configure?.Invoke(options);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<LocalMembershipOptions>, LocalMembershipOptionsValidator>();
    }
}
