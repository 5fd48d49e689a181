using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Application.Manager;

namespace Orleans.Batch.Application.Commands;

/// <summary>The exact <c>cleanup</c> command that releases one cluster, for a manager whose tear-down gave up.</summary>
internal static class CleanupCommandLine
{
    /// <summary>This Launcher's <c>cleanup --cluster-id</c> with the store (and queue) the manager used.</summary>
    public static string For(string clusterId, ManagerSettings settings, string? region)
    {
        var words = new List<string> { "cleanup", "--cluster-id", clusterId };
        if (settings.UsesDynamoDB)
        {
            words.AddRange(["--table", settings.Table ?? DynamoDBMembershipOptions.DefaultTableName]);
            if (region is not null)
            {
                words.AddRange(["--region", region]);
            }

            if (settings.DynamoDBEndpoint is not null)
            {
                words.AddRange(["--dynamodb-endpoint", settings.DynamoDBEndpoint]);
            }
        }

        if (settings.Queue is not null)
        {
            words.AddRange(["--queue", settings.Queue]);
            if (settings.BatchEndpoint is not null)
            {
                words.AddRange(["--batch-endpoint", settings.BatchEndpoint]);
            }
        }

        return ShellCommandLine.ForLauncher(words);
    }
}
