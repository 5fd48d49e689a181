using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Batch.Grains.Placement;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Security.Internal;
using Orleans.Batch.Hosting.Silo.Addressing;
using Orleans.Runtime;
using Orleans.Batch.Hosting.Silo.Watchdog;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Orleans.Batch.Hosting.Silo;

/// <summary>Hosts an Orleans silo that is one worker of an Orleans.Batch cluster.</summary>
public static class OrleansBatchSiloExtensions
{
    /// <summary>
    /// Adds an Orleans silo configured from the <c>OrleansBatch</c> configuration section: cluster identity,
    /// silo name, address and free ports, the membership table, short-lived cluster timings, and the
    /// watchdogs that stop the silo when its manager is gone.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configureSilo">Further silo configuration, such as placement directors or grain storage.</param>
    public static IHostApplicationBuilder AddOrleansBatchSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // Name, address and ports are read below, before the host exists: check every setting first, so a bad one is
        // one line naming it rather than an exception from inside the host.
        SiloSettingsCheck.ThrowIfInvalid(configuration);

        services.AddOptions<SiloHostingOptions>().Bind(configuration.GetSection(SiloHostingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloHostingOptions>, SiloHostingOptionsValidator>();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterIdentityValidator>();
        services.AddOptions<ClusterOptions>().ValidateOnStart();
        services.TryAddTimeProvider();

        // Name, address and ports are decided now, before the host is built: Orleans reads them once at start.
        var hosting = configuration.GetSection(SiloHostingOptions.SectionName).Get<SiloHostingOptions>() ?? new SiloHostingOptions();
        var siloName = SiloNameResolver.Resolve(hosting, Environment.GetEnvironmentVariable);
        // A silo told to advertise loopback runs with its whole cluster on this machine: listen on loopback only.
        var listenAddress = IPAddress.TryParse(configuration[AdvertisedAddressKey], out var explicitAddress) && IPAddress.IsLoopback(explicitAddress)
            ? explicitAddress
            : IPAddress.Any;
        var (siloPort, gatewayPort) = ChoosePorts(hosting, listenAddress);

        services.Configure<HostOptions>(o => o.ShutdownTimeout = hosting.ShutdownTimeout);
        services.AddHostedService<ManagerProcessWatchdog>();
        // Membership timings follow the cluster's size (one read or write per silo adds up; see MembershipScale).
        var contract = SiloSettings.Read(configuration);
        var scale = MembershipScale.For(contract.ExpectedSilos);
        services.AddOptions<ManagerLeaseOptions>()
            .Bind(configuration.GetSection(ManagerLeaseOptions.SectionName))
            .PostConfigure(o => o.CheckPeriod ??= o.OrphanTimeout is { } timeout ? scale.LeaseCheck(timeout) : null);
        services.AddHostedService<ManagerLeaseWatchdog>();
        if (Orleans.Batch.Hosting.AwsBatch.BatchJobEnvironment.Read(Environment.GetEnvironmentVariable) is { } job)
        {
            // A silo in a Batch job can stop its whole cluster when the manager is gone (the job's region and, for the
            // emulator, the endpoint the manager passed in OrleansBatch:Batch).
            var batch = configuration.GetSection(Orleans.Batch.Hosting.AwsBatch.AwsBatchClientOptions.SectionName).Get<Orleans.Batch.Hosting.AwsBatch.AwsBatchClientOptions>()
                ?? new Orleans.Batch.Hosting.AwsBatch.AwsBatchClientOptions();
            services.AddSingleton<IClusterKillSwitch>(sp => new BatchClusterKillSwitch(
                batch, job, sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSiloAddressResolver();
        services.AddSingleton<Spot.SiloExitStatus>();
        services.AddHostedService<Spot.SpotInterruptionWatcher>();
        services.AddSingleton<IPostConfigureOptions<EndpointOptions>, EndpointAddressConfigurator>();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = contract.ClusterId;
                o.ServiceId = contract.ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = siloName);
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;

                o.SiloListeningEndpoint = new IPEndPoint(listenAddress, siloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(listenAddress, gatewayPort);
            });
            silo.Configure<ClusterMembershipOptions>(o => ShortLivedClusterDefaults.Apply(o, scale.Silos));
            UseMembership(silo, configuration, scale);
            if (contract.Tls)
            {
                Security.Internal.ClusterTlsSiloBuilder.UseClusterTls(silo, builder.Logging);
            }

            if (contract.Dashboard)
            {
                // The manager hosts the web page; silos publish their statistics to it. Its log stream (Trace) is
                // off: silo logs stay where the backend keeps them.
                silo.AddDashboard(o => o.HideTrace = true);
            }

            // "Run this on silo i": the manager's GetGrainOnSilo needs it on every silo.
            silo.AddSiloTargetedPlacement();
            configureSilo?.Invoke(silo);
        });

        return builder;
    }

    /// <summary>The configuration key of an explicit advertised address (see <see cref="SiloAddressOptions.AdvertisedAddress"/>).</summary>
    public const string AdvertisedAddressKey = SiloSettings.Keys.AdvertisedAddress;

    private static void UseMembership(ISiloBuilder silo, IConfiguration configuration, MembershipScale scale)
    {
        // Whichever table: silos take turns for their membership writes (see MembershipTransitionGate).
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MembershipTransitionGate>();
        silo.Services.TryAddSingleton<MembershipTurnContext>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AbandonedLeaseGate>();
        switch (ReadMembershipKind(configuration))
        {
            case MembershipKind.Local:
                silo.UseLocalFileMembership(o => o.Bind(configuration.GetSection(LocalMembershipOptions.SectionName)));
                silo.Services.AddSingleton<IManagerLeaseStore>(sp => new FileManagerLeaseStore(sp.GetRequiredService<IOptions<LocalMembershipOptions>>().Value));
                silo.Services.AddSingleton<IMembershipTurnLock>(sp => new FileMembershipTurnLock(sp.GetRequiredService<IOptions<LocalMembershipOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
                silo.Services.AddSingleton<IClusterCertificateStore>(sp => new FileClusterCertificateStore(sp.GetRequiredService<IOptions<LocalMembershipOptions>>().Value));
                break;
            case MembershipKind.DynamoDB:
                silo.UseDynamoDBMembership(o => o
                    .Configure(options =>
                    {
                        options.SnapshotReuse = scale.SnapshotReuse;
                        options.ChangeLogLength = scale.ChangeLogLength;
                    })
                    .Bind(configuration.GetSection(DynamoDBMembershipOptions.SectionName)));
                silo.Services.AddSingleton<IManagerLeaseStore>(sp =>
                {
                    var options = sp.GetRequiredService<IOptions<DynamoDBMembershipOptions>>().Value;
                    return new DynamoDBManagerLeaseStore(sp.GetRequiredService<LeaseDynamoDBClient>().Client, options, sp.GetRequiredService<TimeProvider>());
                });
                silo.Services.AddSingleton<IMembershipTurnLock>(sp => new DynamoDBMembershipTurnLock(
                    sp.GetRequiredService<LeaseDynamoDBClient>().Client,
                    sp.GetRequiredService<IOptions<DynamoDBMembershipOptions>>().Value,
                    sp.GetRequiredService<TimeProvider>()));
                silo.Services.AddSingleton<IClusterCertificateStore>(sp => new DynamoDBClusterCertificateStore(
                    sp.GetRequiredService<LeaseDynamoDBClient>().Client,
                    sp.GetRequiredService<IOptions<DynamoDBMembershipOptions>>().Value,
                    sp.GetRequiredService<TimeProvider>()));
                silo.Services.AddSingleton(sp => new LeaseDynamoDBClient(DynamoDBClientFactory.Create(sp.GetRequiredService<IOptions<DynamoDBMembershipOptions>>().Value)));
                break;
        }
    }

    /// <summary>Reads <c>OrleansBatch:Membership</c>; a wrong value names the key and the accepted values.</summary>
    public static MembershipKind ReadMembershipKind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[OrleansBatchConfiguration.MembershipKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return MembershipKind.Local;
        }

        return Enum.TryParse<MembershipKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new OptionsValidationException(
                OrleansBatchConfiguration.MembershipKey,
                typeof(MembershipKind),
                [$"{OrleansBatchConfiguration.MembershipKey} must be Local or DynamoDB, got {InputText.Quote(value)}."]);
    }

    private static (int SiloPort, int GatewayPort) ChoosePorts(SiloHostingOptions hosting, IPAddress listenAddress)
    {
        if (hosting.SiloPort != 0 && hosting.GatewayPort != 0)
        {
            return (hosting.SiloPort, hosting.GatewayPort);
        }

        var free = FreePortFinder.FindFreePorts(listenAddress, 2);
        return (hosting.SiloPort != 0 ? hosting.SiloPort : free[0], hosting.GatewayPort != 0 ? hosting.GatewayPort : free[1]);
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>The DynamoDB client the silo's lease watchdog reads with (disposed with the host).</summary>
    private sealed class LeaseDynamoDBClient(Amazon.DynamoDBv2.IAmazonDynamoDB client) : IDisposable
    {
        public Amazon.DynamoDBv2.IAmazonDynamoDB Client { get; } = client;

        public void Dispose() => Client.Dispose();
    }
}
