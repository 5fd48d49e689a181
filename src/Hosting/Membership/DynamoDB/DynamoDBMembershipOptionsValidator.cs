using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Validates <see cref="DynamoDBMembershipOptions"/> at start; each message names the setting by its configuration
/// path (e.g. <c>OrleansBatch:DynamoDB:TableName</c>).
/// </summary>
internal sealed partial class DynamoDBMembershipOptionsValidator : IValidateOptions<DynamoDBMembershipOptions>
{
    private const string Section = DynamoDBMembershipOptions.SectionName;

    /// <summary>The longest change log a partition keeps (two changes per silo of the largest Batch array).</summary>
    public const int MaximumChangeLogLength = 20_000;

    /// <summary>The smallest accepted <see cref="DynamoDBMembershipOptions.TimeToLive"/>.</summary>
    public static readonly TimeSpan MinimumTimeToLive = TimeSpan.FromHours(1);

    private static readonly TimeSpan MaximumTimeToLive = TimeSpan.FromDays(3650);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DynamoDBMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when <paramref name="options"/> are invalid.</summary>
    /// <param name="options">The options to check.</param>
    internal static void ThrowIfInvalid(DynamoDBMembershipOptions options)
    {
        var result = new DynamoDBMembershipOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DynamoDBMembershipOptions), result.Failures);
        }
    }

    private static IEnumerable<string> GetFailures(DynamoDBMembershipOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.TableName))
        {
            yield return $"{Section}:{nameof(options.TableName)} is required: the name of the DynamoDB membership table.";
        }
        else if (!TableNamePattern().IsMatch(options.TableName))
        {
            yield return $"{Section}:{nameof(options.TableName)} must be 3-255 characters of letters, digits, '_', '-' and '.'; got {Configuration.InputText.Quote(options.TableName)}.";
        }

        if (!string.IsNullOrWhiteSpace(options.Region) && !RegionPattern().IsMatch(options.Region))
        {
            yield return $"{Section}:{nameof(options.Region)} must be an AWS region name such as 'us-east-1', or unset to use AWS_REGION; got {Configuration.InputText.Quote(options.Region)}.";
        }

        if (options.ServiceUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{Section}:{nameof(options.ServiceUrl)} must be an absolute http or https URL such as 'http://127.0.0.1:8000'; got {Configuration.InputText.Quote(url.OriginalString)}.";
        }

        if (!Enum.IsDefined(options.BillingMode))
        {
            yield return $"{Section}:{nameof(options.BillingMode)} must be '{DynamoDBBillingMode.PayPerRequest}' or '{DynamoDBBillingMode.Provisioned}'; got '{options.BillingMode}'.";
        }
        else if (options.BillingMode == DynamoDBBillingMode.Provisioned)
        {
            if (options.ReadCapacityUnits < 1)
            {
                yield return $"{Section}:{nameof(options.ReadCapacityUnits)} must be at least 1 with provisioned billing; got {options.ReadCapacityUnits}.";
            }

            if (options.WriteCapacityUnits < 1)
            {
                yield return $"{Section}:{nameof(options.WriteCapacityUnits)} must be at least 1 with provisioned billing; got {options.WriteCapacityUnits}.";
            }
        }

        if (options.SnapshotReuse < TimeSpan.Zero || options.SnapshotReuse > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:{nameof(options.SnapshotReuse)} must be between 00:00:00 and 01:00:00; got {options.SnapshotReuse}.";
        }

        if (options.ChangeLogLength is < 0 or > MaximumChangeLogLength)
        {
            yield return $"{Section}:{nameof(options.ChangeLogLength)} must be between 0 and {MaximumChangeLogLength}; got {options.ChangeLogLength}.";
        }

        if (options.TimeToLive is { } ttl && (ttl < MinimumTimeToLive || ttl > MaximumTimeToLive))
        {
            yield return $"{Section}:{nameof(options.TimeToLive)} must be between {MinimumTimeToLive} and {MaximumTimeToLive.TotalDays:0} days, or unset to write no expiry; got {ttl}.";
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex("^[a-z]{2,}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
