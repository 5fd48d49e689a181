using System.CommandLine;
using System.CommandLine.Parsing;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Application.CommandLine;

namespace Orleans.Batch.Application.Commands;

/// <summary>
/// The flags <c>list</c> and <c>cleanup</c> share: which membership store to read (a local directory by default,
/// a DynamoDB table with any AWS flag) and which Batch queue to search for tagged jobs.
/// </summary>
internal sealed class ClusterStoreOptions
{
    public Option<string?> LocalDirectory { get; } = new("--local-dir")
    {
        Description = "The local membership directory (default: orleans-batch/membership under the temporary directory, where local runs keep their clusters).",
        HelpName = "DIR",
        Validators = { ValidateDirectory },
    };

    public Option<string?> Table { get; } = new("--table")
    {
        Description = $"DynamoDB membership table to read (default {DynamoDBMembershipOptions.DefaultTableName}); implies DynamoDB.",
        HelpName = "NAME",
        Validators = { OrleansBatchCommandLine.ValidateTableName },
    };

    public Option<string?> DynamoDBEndpoint { get; } = new("--dynamodb-endpoint")
    {
        Description = "DynamoDB endpoint URL (e.g. DynamoDB Local); implies DynamoDB.",
        HelpName = "URL",
        Validators = { r => OrleansBatchCommandLine.ValidateUrl(r, "--dynamodb-endpoint") },
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region of the table and queue (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, then instance metadata); implies DynamoDB.",
        HelpName = "REGION",
        Validators = { OrleansBatchCommandLine.ValidateRegion },
    };

    public Option<string?> Queue { get; } = new("--queue")
    {
        Description = "AWS Batch job queue to search for this tool's jobs (active ones, tagged orleans-batch:tool); implies DynamoDB. Without it no jobs are looked at.",
        HelpName = "NAME",
        Validators = { ValidateQueue },
    };

    public Option<string?> BatchEndpoint { get; } = new("--batch-endpoint")
    {
        Description = "AWS Batch endpoint URL (the emulator, or a VPC endpoint); needs --queue.",
        HelpName = "URL",
        Validators = { r => OrleansBatchCommandLine.ValidateUrl(r, "--batch-endpoint") },
    };

    /// <summary>Adds the options and the check of their combination to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { LocalDirectory, Table, DynamoDBEndpoint, Region, Queue, BatchEndpoint })
        {
            command.Add(option);
        }

        command.Validators.Add(Validate);
    }

    public ClusterStoreSettings ToSettings(ParseResult parse) => new(
        parse.GetValue(LocalDirectory),
        parse.GetValue(Table),
        parse.GetValue(DynamoDBEndpoint),
        parse.GetValue(Region),
        parse.GetValue(Queue),
        parse.GetValue(BatchEndpoint));

    private void Validate(CommandResult result)
    {
        if (result.GetResult(BatchEndpoint) is not null && result.GetResult(Queue) is null)
        {
            result.AddError("--batch-endpoint needs --queue (the queue whose jobs to look at)");
            return;
        }

        if (result.GetResult(LocalDirectory) is not null)
        {
            foreach (var option in new Option[] { Table, DynamoDBEndpoint, Region, Queue })
            {
                if (result.GetResult(option) is not null)
                {
                    result.AddError($"--local-dir cannot be combined with {option.Name}: local clusters keep their membership in files, not in DynamoDB");
                    return;
                }
            }
        }
    }

    private static void ValidateDirectory(OptionResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (string.IsNullOrWhiteSpace(text) || text.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            result.AddError($"--local-dir must be a directory path, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}");
        }
    }

    private static void ValidateQueue(OptionResult result) =>
        OrleansBatchCommandLine.ValidateBatchName(result, "--queue", "a job queue name (1-128 letters, digits, hyphens, underscores) or ARN", allowRevision: false);
}
