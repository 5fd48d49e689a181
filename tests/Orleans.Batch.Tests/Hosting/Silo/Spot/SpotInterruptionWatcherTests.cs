using Orleans.Batch.Hosting.Silo.Spot;

namespace Orleans.Batch.Tests.Hosting.Silo.Spot;

/// <summary>Where a silo looks for Spot interruption notices: only where EC2 instance metadata can answer.</summary>
public sealed class SpotInterruptionWatcherTests
{
    private const string Job = "AWS_BATCH_JOB_ID";

    [Fact]
    public void A_configured_endpoint_is_watched_inside_a_batch_job()
    {
        var endpoint = SpotInterruptionWatcher.EndpointToWatch(Env((Job, "j:1"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/_imds/j_1/")));

        endpoint.ShouldBe(new Uri("http://127.0.0.1:9/_imds/j_1/"));
    }

    [Fact]
    public void On_ec2_the_default_endpoint_is_watched()
    {
        SpotInterruptionWatcher.EndpointToWatch(Env((Job, "j"), ("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x")))!.Host.ShouldBe("169.254.169.254");
    }

    [Theory]
    [InlineData(null, null, null, "not in a Batch job (a local silo)")]
    [InlineData("j", null, null, "in a Batch job but nowhere to ask: no ECS metadata, no endpoint configured")]
    [InlineData("j", "AWS_ECS_FARGATE", null, "on Fargate there is no instance metadata")]
    [InlineData("j", "AWS_ECS_EC2", "true", "instance metadata turned off")]
    public void Nothing_is_watched_where_no_notice_can_come(string? job, string? execution, string? disabled, string why)
    {
        var environment = Env((Job, job), ("AWS_EXECUTION_ENV", execution), ("AWS_EC2_METADATA_DISABLED", disabled), ("ECS_CONTAINER_METADATA_URI_V4", execution is null ? null : "http://169.254.170.2/v4/x"));

        SpotInterruptionWatcher.EndpointToWatch(environment).ShouldBeNull(why);
    }

    private static Func<string, string?> Env(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
