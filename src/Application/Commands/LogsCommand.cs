using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Hosting.LocalState;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Logs;
using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Manager;

namespace Orleans.Batch.Application.Commands;

/// <summary>
/// <c>logs &lt;job-id&gt;</c>: prints a Batch job's container log from CloudWatch Logs (its log stream, in the group
/// its log configuration names). <c>logs &lt;cluster-id&gt; &lt;silo-index&gt;</c>: prints a local silo's kept log file.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("job-id")
        {
            Description = "The Batch job whose log to print (an array child is <parent id>:<index>); with a silo index, a local cluster's id.",
            Validators = { ValidateTarget },
        };
        var siloIndex = new Argument<int?>("silo-index")
        {
            Description = "A local silo's index: print that silo's kept log file (kept under the temporary directory when a local run fails).",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = ParseSiloIndex,
        };
        var region = new Option<string?>("--region")
        {
            Description = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, then instance metadata).",
            HelpName = "REGION",
            Validators = { OrleansBatchCommandLine.ValidateRegion },
        };
        var batchEndpoint = new Option<string?>("--batch-endpoint")
        {
            Description = "AWS Batch endpoint URL (the emulator, or a VPC endpoint).",
            HelpName = "URL",
            Validators = { r => OrleansBatchCommandLine.ValidateUrl(r, "--batch-endpoint") },
        };
        var logsEndpoint = new Option<string?>("--logs-endpoint")
        {
            Description = "CloudWatch Logs endpoint URL (default: --batch-endpoint when that is on this machine, as the emulator serves both; else logs.<region>.amazonaws.com or the partition's equivalent).",
            HelpName = "URL",
            Validators = { r => OrleansBatchCommandLine.ValidateUrl(r, "--logs-endpoint") },
        };
        var command = new Command(
            "logs",
            "Print a Batch job's log from CloudWatch Logs, oldest line first (logs <job-id>), or a local silo's kept log file (logs <cluster-id> <silo-index>).")
        {
            target, siloIndex, region, batchEndpoint, logsEndpoint,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(siloIndex) is { Tokens.Count: > 0 })
            {
                // A local cluster id becomes a path: it must follow the cluster id grammar.
                if (result.GetResult(target) is { Tokens.Count: > 0 } targetResult
                    && ClusterIdGrammar.Validate(targetResult.Tokens[0].Value, "cluster-id") is { } idError)
                {
                    result.AddError(idError);
                    return;
                }

                foreach (var option in new Option[] { region, batchEndpoint, logsEndpoint })
                {
                    if (result.GetResult(option) is not null)
                    {
                        result.AddError($"{option.Name} applies to Batch jobs, not to a local silo (logs <cluster-id> <silo-index>)");
                        return;
                    }
                }
            }
        });
        command.SetAction((parse, cancellationToken) => parse.GetValue(siloIndex) is { } index
            ? PrintLocalAsync(parse.GetValue(target)!, index, cancellationToken)
            : PrintBatchAsync(parse.GetValue(target)!, parse.GetValue(region), parse.GetValue(batchEndpoint), parse.GetValue(logsEndpoint), cancellationToken));
        return command;
    }

    /// <summary>The default CloudWatch Logs endpoint: the Batch endpoint when it is on this machine (the emulator serves both).</summary>
    public static string? DefaultLogsEndpoint(string? batchEndpoint) =>
        batchEndpoint is not null && Uri.TryCreate(batchEndpoint, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)))
            ? batchEndpoint
            : null;

    private static async Task<int> PrintBatchAsync(string jobId, string? region, string? batchEndpoint, string? logsEndpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var batch = new AwsBatchClient(new AwsBatchClientOptions { Region = region, ServiceUrl = batchEndpoint }, NullLoggerFactory.Instance);
            var described = await batch.DescribeJobsAsync([jobId], cancellationToken).ConfigureAwait(false);
            if (described.Count == 0)
            {
                return await FailAsync($"AWS Batch does not know job {jobId} in {batch.GetEndpoint().SigningRegion} (check the id, --region and --batch-endpoint)").ConfigureAwait(false);
            }

            var job = described[0];
            if (BatchJobLogLocation.For(job, out var reason) is not { } location)
            {
                return await FailAsync(reason!).ConfigureAwait(false);
            }

            using var logs = new CloudWatchLogsClient(
                new CloudWatchLogsClientOptions
                {
                    // The job's own awslogs-region wins over ours: that is where its log group is.
                    Region = location.Region ?? region ?? batch.GetEndpoint().SigningRegion,
                    ServiceUrl = logsEndpoint ?? DefaultLogsEndpoint(batchEndpoint),
                },
                NullLoggerFactory.Instance);
            await Console.Error.WriteLineAsync($"Log of job {job.JobId} ({job.JobName}, {job.Status.ToString().ToUpperInvariant()}): group {location.LogGroupName}, stream {location.LogStreamName}").ConfigureAwait(false);
            var lines = 0;
            await foreach (var logEvent in logs.ReadStreamAsync(location.LogGroupName, location.LogStreamName, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                await Console.Out.WriteLineAsync((logEvent.Message ?? string.Empty).TrimEnd('\r', '\n')).ConfigureAwait(false);
                lines++;
            }

            if (lines == 0)
            {
                await Console.Error.WriteLineAsync($"The log stream {location.LogStreamName} has no lines yet.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return await FailAsync(ErrorMessages.Describe(exception)).ConfigureAwait(false);
        }
    }

    private static async Task<int> PrintLocalAsync(string clusterId, int index, CancellationToken cancellationToken)
    {
        var path = Path.Combine(LocalRunDirectory.Of(clusterId).LogDirectory, $"silo-{index.ToString(CultureInfo.InvariantCulture)}.log");
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await Console.Error.WriteLineAsync($"Log of silo {index} of local cluster {clusterId}: {path}").ConfigureAwait(false);
            await stream.CopyToAsync(Console.OpenStandardOutput(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return await FailAsync($"no log of silo {index} of local cluster {clusterId} at {path} (local silo logs are kept only when a run fails)").ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return await FailAsync($"cannot read {path}: {exception.Message}").ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }

    private static void ValidateTarget(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (text.Length is 0 or > 256 || !char.IsAsciiLetterOrDigit(text[0]) || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '#' or '.'))
        {
            result.AddError($"job-id must be an AWS Batch job id such as 0123abcd-...-89ef or 0123abcd-...-89ef:3 (or a local cluster id), got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}");
        }
    }

    private static int? ParseSiloIndex(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        if (int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return index;
        }

        result.AddError($"silo-index must be a whole number from 0, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(result.Tokens[0].Value)}");
        return null;
    }
}
