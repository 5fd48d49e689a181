using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// Secrets never reach a log: a Batch cluster run at debug level everywhere (manager, silos, emulator), with AWS
/// credentials in every environment and cluster TLS on, leaves neither the secret key, the session token nor the
/// cluster's private key in any output or log.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SecretsInLogsTests(DynamoDBLocalFixture dynamo)
{
    private const string SecretKey = "SECRETwJalrXUtnFEMIK7MDENGbPxRfiCYzzzzzzzz";
    private const string SessionToken = "SESSIONtokenIQoJb3JpZ2luX2VjEBwaCXVzLWVhc3QtMSJHMEUCIQDzzzzzzzz";

    [Fact]
    public async Task A_debug_level_run_with_credentials_and_TLS_logs_no_secret()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        Dictionary<string, string> environment = new()
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIASECRETSTESTKEY01",
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["AWS_SESSION_TOKEN"] = SessionToken,
            ["AWS_REGION"] = "us-east-1",
            ["Logging__LogLevel__Default"] = "Debug",
        };
        await using var emulator = await AwsBatchClusterTests.StartEmulatorWithoutDefinitionAsync();

        // The definition's environment stands for the job role's credentials, and turns the silos' logs to debug.
        await emulator.RegisterDefinitionAsync("orleans-batch", environment: environment.Select(e => new { name = e.Key, value = e.Value }).ToArray());
        var table = DynamoDBLocalFixture.UniqueTableName("secrets");
        var leaks = new ProcessLeakDetector();
        try
        {
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1", "--verbose", "--silo-logs", "debug"],
                TimeSpan.FromMinutes(4),
                environment);
            exitCode.ShouldBe(0, stderr);
            stderr.ShouldContain("Cluster TLS: on");
            stderr.ShouldContain("dbug:", customMessage: "the manager logged at debug level");

            var outputs = new Dictionary<string, string> { ["manager stdout"] = stdout, ["manager stderr"] = stderr, ["emulator"] = emulator.EmulatorOutput };
            foreach (var job in await emulator.Admin.JobsAsync())
            {
                var id = job!["jobId"]!.GetValue<string>();
                if (id.Contains(':', StringComparison.Ordinal))
                {
                    outputs[$"silo job {id}"] = string.Join('\n', await emulator.LogLinesAsync(id));
                }
            }

            outputs.Where(o => o.Key.StartsWith("silo job", StringComparison.Ordinal)).Count().ShouldBe(2);
            outputs.Where(o => o.Key.StartsWith("silo job", StringComparison.Ordinal)).ShouldAllBe(o => o.Value.Contains("dbug:"), "the silos logged at debug level");
            foreach (var (source, text) in outputs)
            {
                text.ShouldNotContain(SecretKey, customMessage: $"{source} shows the secret access key");
                text.ShouldNotContain(SessionToken, customMessage: $"{source} shows the session token");
                text.ShouldNotContain("PRIVATE KEY", customMessage: $"{source} shows the cluster's private key");
            }

            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }
}
