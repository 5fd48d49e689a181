using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>The provider as Orleans uses it: registered on silo and client builders, and in a real cluster.</summary>
public sealed class DynamoDBMembershipHostingTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private readonly string _tableName = DynamoDBLocalFixture.UniqueTableName("hosting");
    private readonly string _clusterId = $"hosting-{Guid.NewGuid():N}";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await dynamo.StartAsync(Token);

    public async ValueTask DisposeAsync() => await dynamo.DeleteTableIfExistsAsync(_tableName);

    [Fact]
    public void SiloBuilder_RegistersTheTable_WithOptionsBoundFromConfiguration()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansBatch:DynamoDB:TableName"] = "from-config",
            ["OrleansBatch:DynamoDB:Region"] = "eu-west-1",
            ["OrleansBatch:DynamoDB:ServiceUrl"] = "http://127.0.0.1:8000",
            ["OrleansBatch:DynamoDB:CreateIfNotExists"] = "true",
            ["OrleansBatch:DynamoDB:BillingMode"] = "Provisioned",
            ["OrleansBatch:DynamoDB:TimeToLive"] = "02:00:00",
        });
        builder.UseOrleans(silo => silo.UseDynamoDBMembership(options => options.BindConfiguration(DynamoDBMembershipOptions.SectionName)));
        using var host = builder.Build();

        host.Services.GetRequiredService<IMembershipTable>().ShouldBeOfType<DynamoDBMembershipTable>();
        var options = host.Services.GetRequiredService<IOptions<DynamoDBMembershipOptions>>().Value;
        options.TableName.ShouldBe("from-config");
        options.Region.ShouldBe("eu-west-1");
        options.ServiceUrl.ShouldBe(new Uri("http://127.0.0.1:8000"));
        options.CreateIfNotExists.ShouldBeTrue();
        options.BillingMode.ShouldBe(DynamoDBBillingMode.Provisioned);
        options.TimeToLive.ShouldBe(TimeSpan.FromHours(2));
    }

    [Fact]
    public void ClientBuilder_RegistersTheGatewayListProvider()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseDynamoDBMembership(options => options.TableName = "client-table"));
        using var host = builder.Build();

        host.Services.GetRequiredService<IGatewayListProvider>().ShouldBeOfType<DynamoDBGatewayListProvider>();
        host.Services.GetRequiredService<IOptions<DynamoDBMembershipOptions>>().Value.TableName.ShouldBe("client-table");
    }

    [Fact]
    public async Task InvalidOptions_StopTheHostAtStart_WithAMessageNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseDynamoDBMembership(options => options.TableName = "no"));
        using var host = builder.Build();

        var exception = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Token));

        exception.Message.ShouldContain("OrleansBatch:DynamoDB:TableName");
    }

    [Fact]
    public async Task Silo_JoinsThroughDynamoDB_AClientFindsItsGateway_AndAStoppedSiloIsDead()
    {
        var siloPort = GetFreePort();
        var gatewayPort = GetFreePort();
        var siloBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        siloBuilder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = _clusterId;
                options.ServiceId = "membership-tests";
            })
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
            .UseDynamoDBMembership(Configure));
        using var siloHost = siloBuilder.Build();
        await siloHost.StartAsync(Token);
        try
        {
            var clientBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            clientBuilder.UseOrleansClient(client => client
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = _clusterId;
                    options.ServiceId = "membership-tests";
                })
                .UseDynamoDBMembership(Configure));
            using var clientHost = clientBuilder.Build();
            await clientHost.StartAsync(Token);

            var hosts = await clientHost.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, Token);

            hosts.Count.ShouldBe(1);
            hosts.Single().Key.Endpoint.Port.ShouldBe(siloPort);
            hosts.Single().Value.ShouldBe(SiloStatus.Active);
            await clientHost.StopAsync(Token);
        }
        finally
        {
            await siloHost.StopAsync(CancellationToken.None); // also after a canceled or failed test
        }

        using var table = new DynamoDBMembershipTable(
            Microsoft.Extensions.Options.Options.Create(CreateOptions()), Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = _clusterId }), NullLoggerFactory.Instance, TimeProvider.System);
        var row = (await table.ReadAllAsync(Token)).Members.ShouldHaveSingleItem().Item1;
        row.Status.ShouldBe(SiloStatus.Dead);
        row.SiloAddress.Endpoint.Port.ShouldBe(siloPort);
        row.ProxyPort.ShouldBe(gatewayPort);
        await table.DeleteMembershipTableEntriesAsync(_clusterId, Token);
        (await table.ReadAllAsync(Token)).Members.ShouldBeEmpty();
    }

    private DynamoDBMembershipOptions CreateOptions()
    {
        var options = new DynamoDBMembershipOptions();
        Configure(options);
        return options;
    }

    private void Configure(DynamoDBMembershipOptions options)
    {
        options.TableName = _tableName;
        options.ServiceUrl = new Uri(dynamo.ServiceUrl);
        options.CreateIfNotExists = true;
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
