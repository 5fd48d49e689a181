using Orleans.Batch.Hosting.AwsBatch;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>The region chain with an injected environment and SDK chain (the process environment is not touched).</summary>
public sealed class AwsRegionResolverTests
{
    [Fact]
    public void The_configured_region_wins_over_the_environment_and_the_SDK_chain()
        => Resolve(new() { Region = "eu-north-1" }, new() { ["AWS_REGION"] = "us-east-2", ["AWS_DEFAULT_REGION"] = "us-west-1" }, "ap-south-1")
            .ShouldBe(new ResolvedRegion("eu-north-1", "OrleansBatch:Batch:Region"));

    [Fact]
    public void AWS_DEFAULT_REGION_is_used_when_AWS_REGION_is_unset_even_if_a_profile_names_a_region()
        => Resolve(new(), new() { ["AWS_DEFAULT_REGION"] = "us-west-1" }, "ap-south-1")
            .ShouldBe(new ResolvedRegion("us-west-1", "AWS_DEFAULT_REGION"));

    [Fact]
    public void When_AWS_REGION_is_set_the_SDK_chain_answers_and_AWS_DEFAULT_REGION_is_ignored()
    {
        var region = Resolve(new(), new() { ["AWS_REGION"] = "us-east-2", ["AWS_DEFAULT_REGION"] = "us-west-1" }, "us-east-2");

        region.Region.ShouldBe("us-east-2");
        region.Source.ShouldContain("AWS SDK region chain");
    }

    [Fact]
    public void The_SDK_chain_supplies_the_profile_or_instance_metadata_region()
        => Resolve(new(), new(), "ap-south-1").Region.ShouldBe("ap-south-1");

    [Theory]
    [InlineData("http://127.0.0.1:5080", "us-east-1")]
    [InlineData("https://vpce-0abc-1234.batch.eu-west-1.vpce.amazonaws.com", "eu-west-1")]
    public void With_a_service_URL_and_no_region_anywhere_the_URL_host_or_us_east_1_is_used(string serviceUrl, string expected)
        => Resolve(new() { ServiceUrl = serviceUrl }, new(), null).Region.ShouldBe(expected);

    [Fact]
    public void Without_a_region_anywhere_the_error_names_the_settings()
    {
        var error = Should.Throw<AwsBatchException>(() => Resolve(new(), new(), null));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.RegionNotConfigured);
        error.Message.ShouldContain("OrleansBatch:Batch:Region, AWS_REGION or AWS_DEFAULT_REGION");
    }

    [Fact]
    public void A_malformed_region_from_the_environment_is_an_error_naming_the_variable()
    {
        var error = Should.Throw<AwsBatchException>(() => Resolve(new(), new() { ["AWS_DEFAULT_REGION"] = "us east 1" }, null));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.InvalidRegion);
        error.Message.ShouldBe("AWS Batch DescribeJobs failed: InvalidRegion: the region 'us east 1' from AWS_DEFAULT_REGION is not a valid AWS region name. Set AWS_DEFAULT_REGION to a region such as 'us-east-1'");
    }

    [Fact]
    public void A_region_the_SDK_chain_rejects_is_an_error_naming_AWS_REGION()
    {
        var error = Should.Throw<AwsBatchException>(() => new AwsRegionResolver(
                name => name == "AWS_REGION" ? "us east 1" : null,
                () => Amazon.RegionEndpoint.GetBySystemName("us east 1").SystemName)
            .Resolve(new AwsBatchClientOptions(), "DescribeJobs"));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.InvalidRegion);
        error.Message.ShouldContain("'us east 1' from AWS_REGION");
    }

    private static ResolvedRegion Resolve(AwsBatchClientOptions options, Dictionary<string, string> environment, string? sdkChainRegion)
        => new AwsRegionResolver(name => environment.GetValueOrDefault(name), () => sdkChainRegion).Resolve(options, "DescribeJobs");
}
