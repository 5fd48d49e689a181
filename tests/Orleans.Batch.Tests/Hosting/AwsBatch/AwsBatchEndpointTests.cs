using Orleans.Batch.Hosting.AwsBatch;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

public sealed class AwsBatchEndpointTests
{
    private static readonly string[] Regions =
    [
        "us-east-1", "eu-west-3", "ap-southeast-7", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1",
        "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "xx-future-1",
    ];

    [Theory]
    [InlineData("us-east-1", false, false, "https://batch.us-east-1.amazonaws.com/")]
    [InlineData("eu-west-1", false, false, "https://batch.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", false, false, "https://batch.cn-north-1.amazonaws.com.cn/")]
    [InlineData("cn-northwest-1", false, false, "https://batch.cn-northwest-1.amazonaws.com.cn/")]
    [InlineData("us-east-1", true, false, "https://fips.batch.us-east-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", true, false, "https://batch.us-gov-west-1.amazonaws.com/")]
    [InlineData("us-east-1", false, true, "https://batch.us-east-1.api.aws/")]
    [InlineData("cn-north-1", false, true, "https://batch.cn-north-1.api.amazonwebservices.com.cn/")]
    [InlineData("us-east-1", true, true, "https://batch-fips.us-east-1.api.aws/")]
    public void ForRegion_gives_the_documented_standard_China_FIPS_and_dual_stack_hosts(string region, bool fips, bool dualStack, string expected)
    {
        var endpoint = AwsBatchEndpoint.ForRegion(region, fips, dualStack);

        endpoint.ServiceUri.ShouldBe(new Uri(expected));
        endpoint.SigningRegion.ShouldBe(region);
        endpoint.GetOperationUri("SubmitJob").ShouldBe(new Uri(expected + "v1/submitjob"));
    }

    [Fact]
    public void ForRegion_agrees_with_the_endpoint_rule_set_for_every_partition_and_flag()
    {
        var checkedCases = 0;
        foreach (var region in Regions)
        {
            foreach (var fips in new[] { false, true })
            {
                foreach (var dualStack in new[] { false, true })
                {
                    var expected = EndpointRuleSetEvaluator.Evaluate(region, fips, dualStack);
                    string actual;
                    try
                    {
                        actual = AwsBatchEndpoint.ForRegion(region, fips, dualStack).ServiceUri.ToString().TrimEnd('/');
                    }
                    catch (ArgumentException e)
                    {
                        actual = "error:" + e.Message;
                    }

                    if (expected.StartsWith("error:", StringComparison.Ordinal))
                    {
                        actual.ShouldStartWith("error:", customMessage: $"{region} fips={fips} dualStack={dualStack}: rules say {expected}");
                    }
                    else
                    {
                        actual.ShouldBe(expected, $"{region} fips={fips} dualStack={dualStack}");
                    }

                    checkedCases++;
                }
            }
        }

        checkedCases.ShouldBe(Regions.Length * 4);
    }

    [Fact]
    public void The_rule_set_forbids_FIPS_or_dual_stack_with_a_custom_endpoint_and_so_does_the_options_validator()
    {
        EndpointRuleSetEvaluator.Evaluate("us-east-1", true, false, "http://127.0.0.1:1").ShouldStartWith("error:");
        EndpointRuleSetEvaluator.Evaluate("us-east-1", false, true, "http://127.0.0.1:1").ShouldStartWith("error:");
        EndpointRuleSetEvaluator.Evaluate("us-east-1", false, false, "http://127.0.0.1:1").ShouldBe("http://127.0.0.1:1");
        EndpointRuleSetEvaluator.Evaluate(null, false, false).ShouldBe("error:Invalid Configuration: Missing Region");

        var result = new AwsBatchClientOptionsValidator().Validate(null, new AwsBatchClientOptions { ServiceUrl = "http://127.0.0.1:1", UseFipsEndpoint = true, UseDualStackEndpoint = true });
        result.Failures!.ShouldContain(f => f.StartsWith("OrleansBatch:Batch:UseFipsEndpoint cannot be combined with OrleansBatch:Batch:ServiceUrl", StringComparison.Ordinal));
        result.Failures!.ShouldContain(f => f.StartsWith("OrleansBatch:Batch:UseDualStackEndpoint cannot be combined with OrleansBatch:Batch:ServiceUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/v1/describejobs")]
    [InlineData("http://127.0.0.1:5080/", "http://127.0.0.1:5080/v1/describejobs")]
    [InlineData("https://proxy.example.com/batch", "https://proxy.example.com/batch/v1/describejobs")]
    [InlineData("https://vpce-0abc-1234.batch.eu-west-1.vpce.amazonaws.com", "https://vpce-0abc-1234.batch.eu-west-1.vpce.amazonaws.com/v1/describejobs")]
    public void ForServiceUrl_posts_operations_below_the_given_URL(string serviceUrl, string expected)
        => AwsBatchEndpoint.ForServiceUrl(serviceUrl, "eu-west-1").GetOperationUri("DescribeJobs").ShouldBe(new Uri(expected));

    [Theory]
    [InlineData("us-east-1", true)]
    [InlineData("cn-northwest-1", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("us east 1", false)]
    [InlineData("US-EAST-1", false)]
    [InlineData("us-east-1.", false)]
    [InlineData("-us-east-1", false)]
    [InlineData("", false)]
    [InlineData("batch.us-east-1.amazonaws.com", false)]
    public void IsValidRegionName_accepts_region_shaped_DNS_labels_only(string region, bool valid)
        => AwsBatchEndpoint.IsValidRegionName(region).ShouldBe(valid);

    [Fact]
    public void ForRegion_rejects_a_malformed_region_naming_it()
        => Should.Throw<ArgumentException>(() => AwsBatchEndpoint.ForRegion("us east 1")).Message.ShouldContain("'us east 1' is not a valid AWS region name");
}
