using System.CommandLine;
using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Manager;

namespace Orleans.Batch.Application.Commands;

/// <summary>
/// <c>list</c>: the clusters this tool knows about, from the membership store (and, with <c>--queue</c>, the Batch
/// jobs tagged by this tool), with lease state, silo rows and jobs. Read-only.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var store = new ClusterStoreOptions();
        var json = new Option<bool>("--json")
        {
            Description = "Write the clusters as JSON (for scripts) instead of a table.",
        };
        var command = new Command(
            "list",
            "List the clusters this tool knows about: partitions in the membership store (a local directory, or a DynamoDB table with any AWS flag) and, with --queue, the active Batch jobs tagged by this tool; per cluster its lease (live, expired, none) and time since the last renewal, silo rows (active/total), jobs, and whether cleanup would release it.");
        store.AddTo(command);
        command.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(store.ToSettings(parse), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ClusterStoreSettings settings, bool json, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        try
        {
            using var session = ClusterStoreSession.Open(settings, time);
            var clusters = await session.Inventory.ReadAsync(cancellationToken).ConfigureAwait(false);
            var writer = new ClusterListWriter(Console.Out, time.GetUtcNow());
            if (json)
            {
                writer.WriteJson(session, clusters);
            }
            else if (!Console.IsOutputRedirected)
            {
                writer.WriteTable(session, clusters);
            }
            else
            {
                writer.WritePlain(session, clusters);
            }

            if (session.Queue is null && settings.UsesDynamoDB && !json)
            {
                await Console.Error.WriteLineAsync("note: no --queue given, so no Batch jobs were looked at").ConfigureAwait(false);
            }

            return ExitCodes.Success;
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
