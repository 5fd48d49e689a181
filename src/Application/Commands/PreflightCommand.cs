using System.CommandLine;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Manager;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Preflight;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Spectre.Console;

namespace Orleans.Batch.Application.Commands;

/// <summary>
/// <c>preflight</c>: the checks an aws-batch launch makes before it submits anything, on their own: the queue and its
/// compute environments, the job definition, whether one silo fits and how many run at once, the queue's backlog,
/// the instances' architectures, and the membership table. Read-only; exit 0 when nothing blocks a launch, else 2.
/// </summary>
internal static class PreflightCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Write the checks as JSON (for scripts) instead of a table." };
        var command = new Command(
            "preflight",
            "Check, without submitting anything, what an AWS Batch launch with the same flags would need: the queue and its compute environments, the job definition, one silo's size and how many run at once, the queue's backlog, the instances' architectures, and the membership table. Exit 0 when nothing blocks a launch, 2 when something does.")
        {
            OrleansBatchCommandLine.Silos, OrleansBatchCommandLine.Queue, OrleansBatchCommandLine.Definition, OrleansBatchCommandLine.Region,
            OrleansBatchCommandLine.Vcpus, OrleansBatchCommandLine.Memory, OrleansBatchCommandLine.Gpus, OrleansBatchCommandLine.BatchEndpoint,
            OrleansBatchCommandLine.Table, OrleansBatchCommandLine.DynamoDBEndpoint, json,
        };
        command.Validators.Add(result =>
        {
            foreach (var option in new Option[] { OrleansBatchCommandLine.Queue, OrleansBatchCommandLine.Definition })
            {
                if (result.GetResult(option) is null)
                {
                    result.AddError($"{option.Name} is required with preflight");
                    return;
                }
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            new PreflightRequest(
                parse.GetValue(OrleansBatchCommandLine.Queue)!,
                parse.GetValue(OrleansBatchCommandLine.Definition)!,
                parse.GetValue(OrleansBatchCommandLine.Silos).Max,
                parse.GetValue(OrleansBatchCommandLine.Vcpus),
                parse.GetValue(OrleansBatchCommandLine.Memory),
                parse.GetValue(OrleansBatchCommandLine.Gpus)),
            parse.GetValue(OrleansBatchCommandLine.Region),
            parse.GetValue(OrleansBatchCommandLine.BatchEndpoint),
            parse.GetValue(OrleansBatchCommandLine.Table) ?? DynamoDBMembershipOptions.DefaultTableName,
            parse.GetValue(OrleansBatchCommandLine.DynamoDBEndpoint),
            parse.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(PreflightRequest request, string? region, string? batchEndpoint, string table, string? dynamoDBEndpoint, bool json, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new AwsBatchClient(new AwsBatchClientOptions { Region = region, ServiceUrl = batchEndpoint }, NullLoggerFactory.Instance, TimeProvider.System);
            var report = await BatchPreflight.RunAsync(client, request, cancellationToken).ConfigureAwait(false);
            var checks = report.Checks.Append(await CheckTableAsync(table, region ?? client.GetEndpoint().SigningRegion, dynamoDBEndpoint, cancellationToken).ConfigureAwait(false)).ToList();
            report = new PreflightReport(checks);
            if (json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new PreflightJson(report.BlocksLaunch, [.. checks.Select(c => new PreflightCheckJson(c.Check, c.Resource, c.Outcome.ToString().ToLowerInvariant(), c.Message))]),
                    CommandJsonContext.Default.PreflightJson));
            }
            else
            {
                Write(checks);
            }

            return report.BlocksLaunch ? ExitCodes.Usage : ExitCodes.Success;
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

    /// <summary>The membership table: it exists and is ACTIVE (a launch would otherwise stop before any silo joins).</summary>
    private static async Task<PreflightCheck> CheckTableAsync(string table, string region, string? endpoint, CancellationToken cancellationToken)
    {
        const string Check = "membership table";
        var options = new DynamoDBMembershipOptions { TableName = table, Region = region, ServiceUrl = endpoint is null ? null : new Uri(endpoint) };
        using var client = DynamoDBClientFactory.Create(options);
        try
        {
            var described = await client.DescribeTableAsync(table, cancellationToken).ConfigureAwait(false);
            return described.Table.TableStatus == Amazon.DynamoDBv2.TableStatus.ACTIVE
                ? new(Check, table, PreflightOutcome.Passed, $"table {table} is ACTIVE in {region}")
                : new(Check, table, PreflightOutcome.Warning, $"table {table} is {described.Table.TableStatus}: a launch waits until it is ACTIVE");
        }
        catch (ResourceNotFoundException) when (options.ServiceUrl is { IsLoopback: true })
        {
            return new(Check, table, PreflightOutcome.Passed, $"table {table} does not exist yet: a launch creates it on this local DynamoDB endpoint");
        }
        catch (ResourceNotFoundException)
        {
            return new(Check, table, PreflightOutcome.Failed,
                $"membership table {table} does not exist in {region}: deploy the stack (deploy/cloudformation/orleans-batch.yaml), pass --table, or launch with --create-table");
        }
    }

    private static void Write(IReadOnlyList<PreflightCheck> checks)
    {
        if (Console.IsOutputRedirected)
        {
            foreach (var check in checks)
            {
                Console.Out.WriteLine($"{Label(check.Outcome)}  {check.Check} ({check.Resource}): {check.Message}");
            }

            return;
        }

        var table = new Table().AddColumns("check", "resource", "result", "detail");
        foreach (var check in checks)
        {
            var colour = check.Outcome switch { PreflightOutcome.Passed => "green", PreflightOutcome.Warning => "yellow", _ => "red" };
            table.AddRow(Markup.Escape(check.Check), Markup.Escape(check.Resource), $"[{colour}]{Label(check.Outcome)}[/]", Markup.Escape(check.Message));
        }

        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }).Write(table);
    }

    private static string Label(PreflightOutcome outcome) => outcome switch
    {
        PreflightOutcome.Passed => "ok",
        PreflightOutcome.Warning => "warning",
        _ => "FAILED",
    };
}
