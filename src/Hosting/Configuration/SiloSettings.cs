using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Silo;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// The one contract between a manager and its silos: everything the manager tells a silo, written as configuration
/// (environment variables <c>OrleansBatch__…</c> for a silo process or job) by <see cref="ToEnvironment"/> and read back
/// by the silo (<see cref="Read"/>, and the options sections it binds). Every key is built here from the options
/// property it sets, so the two sides cannot drift apart.
/// </summary>
public sealed record SiloSettings
{
    /// <summary>The Orleans ClusterId (<c>OrleansBatch:ClusterId</c>).</summary>
    public required string ClusterId { get; init; }

    /// <summary>The Orleans ServiceId (<c>OrleansBatch:ServiceId</c>). Default <c>orleans-batch</c>.</summary>
    public string ServiceId { get; init; } = OrleansBatchConfiguration.DefaultServiceId;

    /// <summary>How many silos the cluster has (<c>OrleansBatch:ExpectedSilos</c>): the silo's membership timings follow it.</summary>
    public int? ExpectedSilos { get; init; }

    /// <summary>Which membership table the silo joins (<c>OrleansBatch:Membership</c>).</summary>
    public MembershipKind Membership { get; init; } = MembershipKind.Local;

    /// <summary>The local membership directory (<c>OrleansBatch:LocalMembership:Directory</c>), for <see cref="MembershipKind.Local"/>.</summary>
    public string? LocalMembershipDirectory { get; init; }

    /// <summary>The DynamoDB table, region, endpoint and item lifetime (<c>OrleansBatch:DynamoDB:*</c>), for <see cref="MembershipKind.DynamoDB"/>.</summary>
    public DynamoDBMembershipOptions? DynamoDB { get; init; }

    /// <summary>How long the silo waits for the manager's lease (<c>OrleansBatch:Lease:OrphanTimeout</c>); null: no watch.</summary>
    public TimeSpan? OrphanTimeout { get; init; }

    /// <summary>The silo's name (<c>OrleansBatch:Silo:Name</c>); null: the Batch job id, else host and process id.</summary>
    public string? SiloName { get; init; }

    /// <summary>The address to advertise (<c>OrleansBatch:Silo:AdvertisedAddress</c>); null: discovered.</summary>
    public string? AdvertisedAddress { get; init; }

    /// <summary>Stop when standard input closes (<c>OrleansBatch:Silo:WatchStandardInput</c>): the local backend's pipe.</summary>
    public bool WatchStandardInput { get; init; }

    /// <summary>Stop when this process, the manager, is gone (<c>OrleansBatch:Silo:ParentProcessId</c>).</summary>
    public int? ParentProcessId { get; init; }

    /// <summary>
    /// Whether the cluster's connections use mutually authenticated TLS (<c>OrleansBatch:Tls:Enabled</c>). The silo
    /// then reads the cluster's certificate from beside its membership rows; the certificate itself never travels in
    /// these settings.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>
    /// Whether the silo publishes what the Orleans Dashboard shows (<c>OrleansBatch:Dashboard:Enabled</c>): its grain
    /// service, the dashboard grain and the per-call profiler. The manager asks for it when it hosts the dashboard.
    /// </summary>
    public bool Dashboard { get; init; }

    /// <summary>The Batch endpoint the silo's kill switch calls (<c>OrleansBatch:Batch:ServiceUrl</c>); null: AWS's own for the region.</summary>
    public Uri? BatchServiceUrl { get; init; }

    /// <summary>The settings as configuration keys and values (<c>OrleansBatch:ClusterId</c>, ...).</summary>
    /// <returns>The keys and values; unset settings are left out.</returns>
    public IReadOnlyDictionary<string, string> ToConfiguration()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OrleansBatchConfiguration.ClusterIdKey] = ClusterId,
            [OrleansBatchConfiguration.ServiceIdKey] = ServiceId,
            [OrleansBatchConfiguration.MembershipKey] = Membership.ToString(),
        };
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        Set(OrleansBatchConfiguration.ExpectedSilosKey, ExpectedSilos?.ToString(CultureInfo.InvariantCulture));
        Set(Keys.LocalMembershipDirectory, LocalMembershipDirectory);
        if (DynamoDB is { } dynamo)
        {
            Set(Keys.DynamoDBTableName, dynamo.TableName);
            Set(Keys.DynamoDBRegion, dynamo.Region);
            Set(Keys.DynamoDBServiceUrl, dynamo.ServiceUrl?.AbsoluteUri);
            Set(Keys.DynamoDBTimeToLive, dynamo.TimeToLive?.ToString("c", CultureInfo.InvariantCulture));
        }

        Set(Keys.OrphanTimeout, OrphanTimeout?.ToString("c", CultureInfo.InvariantCulture));
        Set(Keys.SiloName, SiloName);
        Set(Keys.AdvertisedAddress, AdvertisedAddress);
        Set(Keys.WatchStandardInput, WatchStandardInput ? "true" : null);
        Set(Keys.ParentProcessId, ParentProcessId?.ToString(CultureInfo.InvariantCulture));
        Set(Keys.BatchServiceUrl, BatchServiceUrl?.OriginalString);
        Set(Keys.TlsEnabled, Tls ? "true" : null);
        Set(Keys.DashboardEnabled, Dashboard ? "true" : null);
        return values;
    }

    /// <summary>The settings as environment variables (<c>OrleansBatch__ClusterId</c>, ...), for a silo process or job.</summary>
    /// <returns>The variables.</returns>
    public IReadOnlyDictionary<string, string> ToEnvironment() =>
        ToConfiguration().ToDictionary(e => OrleansBatchConfiguration.ToEnvironmentVariable(e.Key), e => e.Value, StringComparer.Ordinal);

    /// <summary>Reads the cluster identity and membership choice a silo was given (the rest binds to the options sections).</summary>
    /// <param name="configuration">The silo's configuration.</param>
    /// <returns>The settings.</returns>
    public static SiloSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new SiloSettings
        {
            ClusterId = configuration[OrleansBatchConfiguration.ClusterIdKey] ?? string.Empty,
            ServiceId = configuration[OrleansBatchConfiguration.ServiceIdKey] ?? OrleansBatchConfiguration.DefaultServiceId,
            Membership = OrleansBatchSiloExtensions.ReadMembershipKind(configuration),
            ExpectedSilos = int.TryParse(configuration[OrleansBatchConfiguration.ExpectedSilosKey], NumberStyles.None, CultureInfo.InvariantCulture, out var silos) ? silos : null,
            LocalMembershipDirectory = configuration[Keys.LocalMembershipDirectory],
            SiloName = configuration[Keys.SiloName],
            AdvertisedAddress = configuration[Keys.AdvertisedAddress],
            Tls = bool.TryParse(configuration[Keys.TlsEnabled], out var tls) && tls,
            Dashboard = bool.TryParse(configuration[Keys.DashboardEnabled], out var dashboard) && dashboard,
        };
    }

    /// <summary>The configuration keys of the contract, each built from the options property it binds to.</summary>
    public static class Keys
    {
        /// <summary><c>OrleansBatch:LocalMembership:Directory</c>.</summary>
        public const string LocalMembershipDirectory = LocalMembershipOptions.SectionName + ":" + nameof(LocalMembershipOptions.Directory);

        /// <summary><c>OrleansBatch:DynamoDB:TableName</c>.</summary>
        public const string DynamoDBTableName = DynamoDBMembershipOptions.SectionName + ":" + nameof(DynamoDBMembershipOptions.TableName);

        /// <summary><c>OrleansBatch:DynamoDB:Region</c>.</summary>
        public const string DynamoDBRegion = DynamoDBMembershipOptions.SectionName + ":" + nameof(DynamoDBMembershipOptions.Region);

        /// <summary><c>OrleansBatch:DynamoDB:ServiceUrl</c>.</summary>
        public const string DynamoDBServiceUrl = DynamoDBMembershipOptions.SectionName + ":" + nameof(DynamoDBMembershipOptions.ServiceUrl);

        /// <summary><c>OrleansBatch:DynamoDB:TimeToLive</c>.</summary>
        public const string DynamoDBTimeToLive = DynamoDBMembershipOptions.SectionName + ":" + nameof(DynamoDBMembershipOptions.TimeToLive);

        /// <summary><c>OrleansBatch:Lease:OrphanTimeout</c>.</summary>
        public const string OrphanTimeout = ManagerLeaseOptions.SectionName + ":" + nameof(ManagerLeaseOptions.OrphanTimeout);

        /// <summary><c>OrleansBatch:Silo:Name</c>.</summary>
        public const string SiloName = SiloHostingOptions.SectionName + ":" + nameof(SiloHostingOptions.Name);

        /// <summary><c>OrleansBatch:Silo:AdvertisedAddress</c>.</summary>
        public const string AdvertisedAddress = SiloAddressOptions.SectionName + ":" + nameof(SiloAddressOptions.AdvertisedAddress);

        /// <summary><c>OrleansBatch:Silo:WatchStandardInput</c>.</summary>
        public const string WatchStandardInput = SiloHostingOptions.SectionName + ":" + nameof(SiloHostingOptions.WatchStandardInput);

        /// <summary><c>OrleansBatch:Silo:ParentProcessId</c>.</summary>
        public const string ParentProcessId = SiloHostingOptions.SectionName + ":" + nameof(SiloHostingOptions.ParentProcessId);

        /// <summary><c>OrleansBatch:Tls:Enabled</c>.</summary>
        public const string TlsEnabled = Security.ClusterTlsOptions.EnabledKey;

        /// <summary><c>OrleansBatch:Dashboard:Enabled</c>.</summary>
        public const string DashboardEnabled = SiloDashboardOptions.SectionName + ":" + nameof(SiloDashboardOptions.Enabled);

        /// <summary><c>OrleansBatch:Batch:ServiceUrl</c>: the Batch endpoint a silo's kill switch calls, when not AWS's own.</summary>
        public const string BatchServiceUrl = AwsBatch.AwsBatchClientOptions.SectionName + ":" + nameof(AwsBatch.AwsBatchClientOptions.ServiceUrl);
    }
}
