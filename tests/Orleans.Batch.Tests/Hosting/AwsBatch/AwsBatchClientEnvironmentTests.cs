using System.Net;
using Amazon.Runtime;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>Credentials and region from the real process environment, through the AWS SDK's chains.</summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class AwsBatchClientEnvironmentTests : IAsyncLifetime
{
    private const string AccessKey = "AKIDFROMENVIRONMENT";
    private const string SecretKey = "secret-from-environment";
    private const string SessionToken = "token-from-environment";

    private FakeBatchServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeBatchServer.StartAsync(new ImmutableCredentials(AccessKey, SecretKey, SessionToken));

    public async ValueTask DisposeAsync()
    {
        // The SDK caches the region chain's answer; forget what these tests set.
        FallbackRegionFactory.Reset();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Without_configured_credentials_the_default_chain_reads_AWS_ACCESS_KEY_ID_AWS_SECRET_ACCESS_KEY_and_AWS_SESSION_TOKEN()
    {
        using var environment = Isolated(new()
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["AWS_SESSION_TOKEN"] = SessionToken,
        });
        using var client = new AwsBatchClient(new AwsBatchClientOptions { ServiceUrl = _server.Url.ToString(), Region = "us-west-2" });

        await client.ListJobsAsync(new ListJobsRequest { JobQueue = "q" }, TestContext.Current.CancellationToken);

        var request = _server.Requests.ShouldHaveSingleItem();
        request.Headers["Authorization"].ShouldStartWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/");
        request.Headers["X-Amz-Security-Token"].ShouldBe(SessionToken);
        request.SignatureProblem.ShouldBeNull();
    }

    [Fact]
    public async Task Without_any_credentials_the_call_fails_with_a_one_line_credentials_error_naming_what_to_set_and_sends_nothing()
    {
        using var environment = Isolated(new());
        using var client = new AwsBatchClient(new AwsBatchClientOptions { ServiceUrl = _server.Url.ToString(), Region = "us-west-2", BaseRetryDelay = TimeSpan.Zero });

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.SubmitJobAsync(new SubmitJobRequest { JobName = "j", JobQueue = "q", JobDefinition = "d" }, TestContext.Current.CancellationToken));

        error.IsCredentialsError.ShouldBeTrue();
        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.CredentialsNotFound);
        error.Attempts.ShouldBe(1);
        error.StatusCode.ShouldBeNull();
        error.InnerException.ShouldBeOfType<AmazonClientException>();
        error.Message.ShouldStartWith("AWS Batch SubmitJob failed: CredentialsNotFound: no usable AWS credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        error.Message.ShouldContain("AWS_PROFILE");
        error.Message.ShouldNotContain("\n");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_profile_that_does_not_exist_is_named_in_the_credentials_error()
    {
        using var environment = Isolated(new() { ["AWS_PROFILE"] = "no-such-profile" });
        using var client = new AwsBatchClient(new AwsBatchClientOptions { ServiceUrl = _server.Url.ToString(), Region = "us-west-2" });

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = "q" }, TestContext.Current.CancellationToken));

        error.IsCredentialsError.ShouldBeTrue();
        error.Message.ShouldContain("AWS_PROFILE is 'no-such-profile'");
        error.Message.ShouldContain("aws sso login --profile no-such-profile");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AWS_DEFAULT_REGION_is_the_signing_region_when_nothing_else_names_one()
    {
        using var environment = Isolated(WithKeys(new() { ["AWS_DEFAULT_REGION"] = "eu-central-1" }));
        using var client = new AwsBatchClient(new AwsBatchClientOptions { ServiceUrl = _server.Url.ToString() });

        await client.ListJobsAsync(new ListJobsRequest { JobQueue = "q" }, TestContext.Current.CancellationToken);

        client.GetEndpoint().SigningRegion.ShouldBe("eu-central-1");
        _server.Requests.Single().Headers["Authorization"].ShouldContain("/eu-central-1/batch/aws4_request");
        _server.Requests.Single().SignatureProblem.ShouldBeNull();
    }

    [Fact]
    public void AWS_REGION_wins_over_AWS_DEFAULT_REGION_and_the_configured_region_wins_over_both()
    {
        using var environment = Isolated(new() { ["AWS_REGION"] = "ap-southeast-2", ["AWS_DEFAULT_REGION"] = "eu-central-1" });

        using (var fromChain = new AwsBatchClient(new AwsBatchClientOptions()))
        {
            fromChain.GetEndpoint().ServiceUri.ShouldBe(new Uri("https://batch.ap-southeast-2.amazonaws.com/"));
        }

        using var configured = new AwsBatchClient(new AwsBatchClientOptions { Region = "sa-east-1" });
        configured.GetEndpoint().ServiceUri.ShouldBe(new Uri("https://batch.sa-east-1.amazonaws.com/"));
    }

    [Fact]
    public void A_China_region_from_AWS_DEFAULT_REGION_gets_the_China_partition_endpoint()
    {
        using var environment = Isolated(new() { ["AWS_DEFAULT_REGION"] = "cn-north-1" });
        using var client = new AwsBatchClient(new AwsBatchClientOptions());

        var endpoint = client.GetEndpoint();

        endpoint.ServiceUri.ShouldBe(new Uri("https://batch.cn-north-1.amazonaws.com.cn/"));
        endpoint.SigningRegion.ShouldBe("cn-north-1");
    }

    [Fact]
    public async Task Without_a_region_anywhere_the_call_fails_with_a_one_line_error_naming_the_settings()
    {
        using var environment = Isolated(WithKeys(new()));
        using var client = new AwsBatchClient(new AwsBatchClientOptions());

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = "q" }, TestContext.Current.CancellationToken));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.RegionNotConfigured);
        error.Message.ShouldBe("AWS Batch ListJobs failed: RegionNotConfigured: no AWS region is configured. Set OrleansBatch:Batch:Region, AWS_REGION or AWS_DEFAULT_REGION, or 'region' in the AWS profile");
    }

    [Fact]
    public async Task A_malformed_AWS_DEFAULT_REGION_is_an_error_naming_the_variable()
    {
        using var environment = Isolated(WithKeys(new() { ["AWS_DEFAULT_REGION"] = "us east 1" }));
        using var client = new AwsBatchClient(new AwsBatchClientOptions { ServiceUrl = _server.Url.ToString() });

        var error = await Should.ThrowAsync<AwsBatchException>(() => client.ListJobsAsync(new ListJobsRequest { JobQueue = "q" }, TestContext.Current.CancellationToken));

        error.ErrorCode.ShouldBe(AwsBatchErrorCodes.InvalidRegion);
        error.Message.ShouldContain("'us east 1' from AWS_DEFAULT_REGION");
        _server.Requests.ShouldBeEmpty();
    }

    private static Dictionary<string, string?> WithKeys(Dictionary<string, string?> variables)
    {
        variables["AWS_ACCESS_KEY_ID"] = AccessKey;
        variables["AWS_SECRET_ACCESS_KEY"] = SecretKey;
        variables["AWS_SESSION_TOKEN"] = SessionToken;
        return variables;
    }

    /// <summary>
    /// An environment with no AWS configuration except <paramref name="variables"/>: no keys, profile files that do not
    /// exist, no container or web-identity credentials, and instance metadata disabled (so nothing waits on 169.254.169.254).
    /// </summary>
    private static EnvironmentVariableScope Isolated(Dictionary<string, string?> variables)
    {
        var missing = Path.Combine(Path.GetTempPath(), "orleans-batch-tests-no-such-aws-file-" + Guid.NewGuid().ToString("N"));
        var baseline = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_REGION"] = null,
            ["AWS_DEFAULT_REGION"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = missing,
            ["AWS_CONFIG_FILE"] = missing,
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_ROLE_ARN"] = null,
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null,
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        foreach (var (name, value) in variables)
        {
            baseline[name] = value;
        }

        FallbackRegionFactory.Reset();
        return new EnvironmentVariableScope(baseline);
    }
}
