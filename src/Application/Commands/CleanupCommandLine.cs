using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application.Commands;

/// <summary>The exact <c>cleanup</c> command that releases one cluster, for a manager whose tear-down gave up.</summary>
internal static class CleanupCommandLine
{
    /// <summary>This Launcher's <c>cleanup --cluster-id</c> with the store (and queue) the manager used.</summary>
    public static string For(string clusterId, BatchClusterOptions settings, string? queue, string? region)
    {
        var words = new List<string> { "cleanup", "--cluster-id", clusterId };
        if (settings.UsesDynamoDB)
        {
            words.AddRange(["--table", settings.MembershipTable ?? DynamoDBMembershipOptions.DefaultTableName]);
            if (region is not null)
            {
                words.AddRange(["--region", region]);
            }

            if (settings.DynamoDBEndpoint is not null)
            {
                words.AddRange(["--dynamodb-endpoint", settings.DynamoDBEndpoint.OriginalString]);
            }
        }

        if (queue is not null)
        {
            words.AddRange(["--queue", queue]);
            if (settings.BatchEndpoint is not null)
            {
                words.AddRange(["--batch-endpoint", settings.BatchEndpoint.OriginalString]);
            }
        }

        return ShellCommandLine.ForLauncher(words);
    }
}
