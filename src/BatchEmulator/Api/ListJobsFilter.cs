using System.Globalization;
using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Jobs;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>The one ListJobs filter Batch allows per request, with its matching rules.</summary>
internal sealed class ListJobsFilter
{
    public const string JobName = "JOB_NAME";
    public const string JobDefinition = "JOB_DEFINITION";
    public const string BeforeCreatedAt = "BEFORE_CREATED_AT";
    public const string AfterCreatedAt = "AFTER_CREATED_AT";
    public const string ShareIdentifier = "SHARE_IDENTIFIER";

    private ListJobsFilter(string name, string value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string Value { get; }

    public static ListJobsFilter Parse(List<KeyValuesPairShape> filters)
    {
        if (filters.Count > 1)
        {
            throw AwsServiceException.Client("Only one filter can be used at a time.");
        }

        var filter = filters[0];
        if (filter.Name is not (JobName or JobDefinition or BeforeCreatedAt or AfterCreatedAt or ShareIdentifier))
        {
            throw AwsServiceException.Client(
                $"Filter name '{filter.Name}' is invalid: it must be one of {JobName}, {JobDefinition}, {BeforeCreatedAt}, {AfterCreatedAt}, {ShareIdentifier}.");
        }

        if (filter.Values is not [{ Length: > 0 } value])
        {
            throw AwsServiceException.Client($"Filter {filter.Name} needs exactly one non-empty value.");
        }

        if (filter.Name is BeforeCreatedAt or AfterCreatedAt && !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw AwsServiceException.Client($"Filter {filter.Name} needs a value in epoch milliseconds (got '{value}').");
        }

        return new ListJobsFilter(filter.Name, value);
    }

    public bool Matches(EmulatedJob job) => Name switch
    {
        // Case-insensitive; a trailing '*' matches any name starting with what precedes it.
        JobName => Value.EndsWith('*')
            ? job.JobName.StartsWith(Value[..^1], StringComparison.OrdinalIgnoreCase)
            : job.JobName.Equals(Value, StringComparison.OrdinalIgnoreCase),

        // Case-sensitive; an ARN names one revision, a name every revision.
        JobDefinition => Value.StartsWith("arn:", StringComparison.Ordinal)
            ? job.Spec.Definition.Arn == Value
            : Value.EndsWith('*')
                ? job.Spec.Definition.Name.StartsWith(Value[..^1], StringComparison.Ordinal)
                : job.Spec.Definition.Name == Value,

        BeforeCreatedAt => job.CreatedAt.ToUnixTimeMilliseconds() < long.Parse(Value, CultureInfo.InvariantCulture),
        AfterCreatedAt => job.CreatedAt.ToUnixTimeMilliseconds() > long.Parse(Value, CultureInfo.InvariantCulture),
        ShareIdentifier => job.Spec.ShareIdentifier == Value,
        _ => false,
    };
}
