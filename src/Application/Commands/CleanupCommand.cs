using System.CommandLine;
using Orleans.Batch.Hosting.Cluster.Inventory;
using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Manager;

namespace Orleans.Batch.Application.Commands;

/// <summary>
/// <c>cleanup</c>: releases orphaned clusters (lease expired, or no lease and no sign of life): terminates their
/// tagged Batch jobs and deletes their membership partitions. One line per step; exit 0 when every step succeeded.
/// </summary>
internal static class CleanupCommand
{
    public static Command Create()
    {
        var store = new ClusterStoreOptions();
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print what would be done, and do nothing.",
        };
        var clusterId = new Option<string?>("--cluster-id")
        {
            Description = "Only this cluster (still only if it is orphaned), e.g. the one a manager whose tear-down gave up names.",
            HelpName = "ID",
            Validators = { r => OrleansBatchCommandLine.ValidateClusterId(r, "--cluster-id") },
        };
        var command = new Command(
            "cleanup",
            "Release the clusters whose manager is gone: for each cluster whose lease expired (or that has no lease and no sign of life for 10 minutes), terminate its Batch jobs in --queue (only jobs tagged orleans-batch:tool and with that cluster's id) and delete its membership partition. Live clusters, untagged jobs and other tables are never touched.");
        store.AddTo(command);
        command.Add(dryRun);
        command.Add(clusterId);
        command.SetAction((parse, cancellationToken) => RunAsync(store.ToSettings(parse), parse.GetValue(dryRun), parse.GetValue(clusterId), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ClusterStoreSettings settings, bool dryRun, string? onlyClusterId, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        try
        {
            using var session = ClusterStoreSession.Open(settings, time);
            var clusters = await session.Inventory.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (onlyClusterId is not null)
            {
                clusters = [.. clusters.Where(c => c.ClusterId == onlyClusterId)];
            }

            var cleanup = new ClusterCleanup(session.Catalog, session.Batch, time);
            var actions = await cleanup.RunAsync(
                clusters,
                dryRun,
                action => Console.Out.WriteLine(action.Describe(ErrorMessages.Describe)),
                cancellationToken).ConfigureAwait(false);

            var live = clusters.Count(c => !c.IsOrphaned);
            var failed = actions.Count(a => !a.Succeeded);
            var summary = actions.Count == 0
                ? $"Nothing to clean up in {session.Description}"
                : $"{(dryRun ? "Dry run: " : string.Empty)}{actions.Count} step(s){(failed > 0 ? $", {failed} failed" : string.Empty)}";
            await Console.Error.WriteLineAsync($"{summary}; {live} live cluster(s) left alone.").ConfigureAwait(false);
            if (session.Queue is null && settings.UsesDynamoDB)
            {
                await Console.Error.WriteLineAsync("note: no --queue given, so no Batch jobs were looked at or terminated").ConfigureAwait(false);
            }

            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"error: {ErrorMessages.Describe(exception)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
