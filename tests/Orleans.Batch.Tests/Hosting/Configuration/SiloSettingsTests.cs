using Microsoft.Extensions.Configuration;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Silo;
using Orleans.Batch.Hosting.Silo.Addressing;

namespace Orleans.Batch.Tests.Hosting.Configuration;

/// <summary>The manager → silo contract: what the manager writes is exactly what the silo reads back.</summary>
public sealed class SiloSettingsTests
{
    private static readonly SiloSettings Full = new()
    {
        ClusterId = "ä1",
        ServiceId = "pricing",
        ExpectedSilos = 1000,
        Membership = MembershipKind.DynamoDB,
        DynamoDB = new DynamoDBMembershipOptions { TableName = "Members", Region = "eu-west-1", ServiceUrl = new Uri("http://127.0.0.1:8000"), TimeToLive = TimeSpan.FromHours(6) },
        OrphanTimeout = TimeSpan.FromSeconds(45),
        SiloName = "local-3",
        AdvertisedAddress = "127.0.0.1",
        WatchStandardInput = true,
        ParentProcessId = 4242,
        BatchServiceUrl = new Uri("http://127.0.0.1:4566"),
        Tls = true,
        Dashboard = true,
    };

    [Fact]
    public void Every_setting_written_as_environment_variables_is_read_back_by_the_silo()
    {
        var configuration = FromEnvironment(Full.ToEnvironment());

        SiloSettings.Read(configuration).ShouldBe(Full with { DynamoDB = null, OrphanTimeout = null, WatchStandardInput = false, ParentProcessId = null, BatchServiceUrl = null });
        var dynamo = configuration.GetSection(DynamoDBMembershipOptions.SectionName).Get<DynamoDBMembershipOptions>()!;
        (dynamo.TableName, dynamo.Region, dynamo.ServiceUrl, dynamo.TimeToLive).ShouldBe(("Members", "eu-west-1", new Uri("http://127.0.0.1:8000"), TimeSpan.FromHours(6)));
        configuration.GetSection(ManagerLeaseOptions.SectionName).Get<ManagerLeaseOptions>()!.OrphanTimeout.ShouldBe(TimeSpan.FromSeconds(45));
        var hosting = configuration.GetSection(SiloHostingOptions.SectionName).Get<SiloHostingOptions>()!;
        (hosting.Name, hosting.WatchStandardInput, hosting.ParentProcessId).ShouldBe(("local-3", true, 4242));
        configuration.GetSection(SiloAddressOptions.SectionName).Get<SiloAddressOptions>()!.AdvertisedAddress.ShouldBe("127.0.0.1");
        configuration.GetSection(Orleans.Batch.Hosting.AwsBatch.AwsBatchClientOptions.SectionName).Get<Orleans.Batch.Hosting.AwsBatch.AwsBatchClientOptions>()!.ServiceUrl.ShouldBe("http://127.0.0.1:4566");
    }

    [Fact]
    public void What_the_manager_writes_passes_the_silos_own_check() =>
        SiloSettingsCheck.Check(FromEnvironment(Full.ToEnvironment())).ShouldBeEmpty();

    [Fact]
    public void A_kill_switch_endpoint_that_is_not_an_http_URL_is_refused_naming_its_key()
    {
        var variables = new Dictionary<string, string>(Full.ToEnvironment()) { ["OrleansBatch__Batch__ServiceUrl"] = "ftp://127.0.0.1:4566" };

        var failure = SiloSettingsCheck.Check(FromEnvironment(variables)).ShouldHaveSingleItem();
        failure.ShouldStartWith("OrleansBatch:Batch:ServiceUrl (OrleansBatch__Batch__ServiceUrl) 'ftp://127.0.0.1:4566'");
        failure.ShouldContain("must be an absolute http:// or https:// URL");
    }

    [Theory]
    [InlineData("OrleansBatch__Dashboard__Enabled", "OrleansBatch:Dashboard:Enabled")]
    [InlineData("OrleansBatch__Tls__Enabled", "OrleansBatch:Tls:Enabled")]
    public void A_switch_that_is_not_true_or_false_is_refused_naming_its_key(string variable, string key)
    {
        var variables = new Dictionary<string, string>(Full.ToEnvironment()) { [variable] = "yes" };

        SiloSettingsCheck.Check(FromEnvironment(variables)).ShouldHaveSingleItem().ShouldStartWith($"{key} ({variable})");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("many")]
    public void A_cluster_size_that_is_not_1_to_10000_is_refused_naming_its_key(string value)
    {
        var variables = new Dictionary<string, string>(Full.ToEnvironment()) { ["OrleansBatch__ExpectedSilos"] = value };

        var failure = SiloSettingsCheck.Check(FromEnvironment(variables)).ShouldHaveSingleItem();
        failure.ShouldStartWith("OrleansBatch:ExpectedSilos (OrleansBatch__ExpectedSilos)");
        failure.ShouldContain("must be a whole number from 1 to 10000");
    }

    [Fact]
    public void Unset_settings_are_left_out_so_the_silos_defaults_apply() =>
        new SiloSettings { ClusterId = "c1" }.ToEnvironment().Keys.Order().ShouldBe(["OrleansBatch__ClusterId", "OrleansBatch__Membership", "OrleansBatch__ServiceId"]);

    // As the silo sees them: environment variables with __ separators.
    private static IConfiguration FromEnvironment(IReadOnlyDictionary<string, string> variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value))
            .Build();
}
