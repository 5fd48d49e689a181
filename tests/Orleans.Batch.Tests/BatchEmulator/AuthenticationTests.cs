using System.Net;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

public sealed class AuthenticationTests
{
    private const string SubmitBody = """{"jobName":"j","jobQueue":"test-queue","jobDefinition":"test-job"}""";

    [Fact]
    public async Task Request_without_a_signature_is_rejected_with_403_and_does_nothing()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        await emulator.RegisterDefinitionAsync();

        var response = await emulator.Batch.SendUnsignedAsync(Request(authorization: null, amzDate: "20250101T000000Z"));

        response.ShouldFailWith(HttpStatusCode.Forbidden, "MissingAuthenticationTokenException").ShouldBe("Missing Authentication Token");
        (await emulator.Admin.JobsAsync()).ShouldBeEmpty();
        var stats = await emulator.Admin.StatsAsync();
        stats["rejectedRequests"]!.GetValue<long>().ShouldBe(1);
        stats["operations"]!["SubmitJob"].ShouldBeNull("a rejected request is not a SubmitJob call");
    }

    [Theory]
    [InlineData("Bearer abc", "20250101T000000Z", "IncompleteSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/batch/aws4_request", "20250101T000000Z", "IncompleteSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/batch/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", null, "IncompleteSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/batch/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20250101T000000Z", "InvalidSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20250101T000000Z", "InvalidSignatureException")]
    public async Task Request_with_a_malformed_or_misscoped_signature_is_rejected_with_403(string authorization, string? amzDate, string errorType)
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();

        var response = await emulator.Batch.SendUnsignedAsync(Request(authorization, amzDate));

        response.ShouldFailWith(HttpStatusCode.Forbidden, errorType).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Any_well_formed_SigV4_signature_is_accepted_without_verification()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();

        var response = await emulator.Batch.SendUnsignedAsync(Request(
            "AWS4-HMAC-SHA256 Credential=ANYKEY/20250101/us-east-1/batch/aws4_request, SignedHeaders=host;x-amz-date, Signature=not-checked",
            "20250101T000000Z",
            "describejobqueues",
            "{}"));

        response.Ok()["jobQueues"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Keys_configured_as_expired_or_invalid_get_the_AWS_errors()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync((o, _) =>
        {
            o.ExpiredAccessKeys.Add("AKIAEXPIRED");
            o.InvalidAccessKeys.Add("AKIAINVALID");
        });
        using var expired = new BatchTestClient(emulator.BaseAddress, "AKIAEXPIRED");
        using var invalid = new BatchTestClient(emulator.BaseAddress, "AKIAINVALID");

        (await expired.CallAsync("DescribeJobQueues", new { })).ShouldFailWith(HttpStatusCode.Forbidden, "ExpiredTokenException")
            .ShouldBe("The security token included in the request is expired");
        (await invalid.CallAsync("DescribeJobQueues", new { })).ShouldFailWith(HttpStatusCode.Forbidden, "UnrecognizedClientException")
            .ShouldBe("The security token included in the request is invalid.");
        (await expired.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = "x" })).ShouldFailWith(HttpStatusCode.Forbidden, "ExpiredTokenException");
        (await emulator.Batch.CallAsync("DescribeJobQueues", new { })).Ok();
    }

    private static HttpRequestMessage Request(string? authorization, string? amzDate, string operation = "submitjob", string body = SubmitBody)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/" + operation) { Content = BatchTestClient.JsonContent(body, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (amzDate is not null)
        {
            request.Headers.Add("X-Amz-Date", amzDate);
        }

        return request;
    }
}
