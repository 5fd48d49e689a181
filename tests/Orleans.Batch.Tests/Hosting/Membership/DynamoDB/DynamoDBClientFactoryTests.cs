using Amazon;
using Amazon.DynamoDBv2.Model;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

public sealed class DynamoDBClientFactoryTests(DynamoDBLocalFixture dynamo)
{
    [Fact]
    public void ServiceUrl_IsTheEndpoint_AndTheRegionOnlySigns()
    {
        var config = DynamoDBClientFactory.CreateConfig(new DynamoDBMembershipOptions { ServiceUrl = new Uri("http://127.0.0.1:8000"), Region = "eu-west-1" });

        config.ServiceURL.ShouldBe("http://127.0.0.1:8000/");
        config.AuthenticationRegion.ShouldBe("eu-west-1");
    }

    [Fact]
    public void Region_SelectsTheRegionalEndpoint()
    {
        var config = DynamoDBClientFactory.CreateConfig(new DynamoDBMembershipOptions { Region = "eu-central-1" });

        config.RegionEndpoint.ShouldBe(RegionEndpoint.EUCentral1);
        config.ServiceURL.ShouldBeNull();
    }

    [Fact]
    public async Task LoopbackServiceUrl_Works_WithOrWithoutCredentialsInTheEnvironment()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);

        using var client = DynamoDBClientFactory.Create(new DynamoDBMembershipOptions { ServiceUrl = new Uri(dynamo.ServiceUrl) });

        var response = await client.ListTablesAsync(new ListTablesRequest { Limit = 1 }, TestContext.Current.CancellationToken);
        response.HttpStatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public void RemoteServiceUrl_LeavesCredentialsToTheSdkChain_AndCreatesTheClientWithoutAnyRequest()
    {
        using var client = DynamoDBClientFactory.Create(new DynamoDBMembershipOptions { ServiceUrl = new Uri("https://dynamodb.example.com"), Region = "us-west-2" });

        client.Config.ServiceURL.ShouldBe("https://dynamodb.example.com/");
    }
}
