using System.Globalization;
using System.Text.Json;
using Orleans.Batch.BatchEmulator.Api;

namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>
/// One <c>retryStrategy.evaluateOnExit</c> condition, as Batch documents it: every pattern given must match (a pattern
/// may end with <c>*</c> to match only the start; values are compared case-sensitively, actions are not); the first
/// matching condition decides; when none matches, the job is retried.
/// </summary>
internal sealed record RetryCondition(string? OnStatusReason, string? OnReason, string? OnExitCode, bool Retry)
{
    private const int MaxConditions = 5;
    private const int MaxPatternLength = 512;

    /// <summary>Parses and validates the <c>evaluateOnExit</c> list the way SubmitJob and RegisterJobDefinition reject bad ones.</summary>
    public static IReadOnlyList<RetryCondition> Parse(JsonElement? evaluateOnExit)
    {
        if (evaluateOnExit is not { ValueKind: JsonValueKind.Array } list)
        {
            return evaluateOnExit is null or { ValueKind: JsonValueKind.Null } ? [] : throw AwsServiceException.Client("retryStrategy.evaluateOnExit must be a list.");
        }

        if (list.GetArrayLength() > MaxConditions)
        {
            throw AwsServiceException.Client($"retryStrategy.evaluateOnExit can have at most {MaxConditions} conditions.");
        }

        var conditions = new List<RetryCondition>();
        foreach (var item in list.EnumerateArray())
        {
            var action = String(item, "action")?.ToUpperInvariant();
            if (action is not ("RETRY" or "EXIT"))
            {
                throw AwsServiceException.Client("retryStrategy.evaluateOnExit[].action must be RETRY or EXIT.");
            }

            var exitCode = Pattern(item, "onExitCode", char.IsAsciiDigit);
            var statusReason = Pattern(item, "onStatusReason", IsReasonCharacter);
            var reason = Pattern(item, "onReason", IsReasonCharacter);
            conditions.Add(new RetryCondition(statusReason, reason, exitCode, action == "RETRY"));
        }

        return conditions;
    }

    /// <summary>Whether a finished attempt is retried, by the first matching condition (none: retried).</summary>
    public static bool ShouldRetry(IReadOnlyList<RetryCondition> conditions, string? statusReason, string? reason, int? exitCode)
    {
        var code = exitCode?.ToString(CultureInfo.InvariantCulture);
        foreach (var condition in conditions)
        {
            if (Matches(condition.OnStatusReason, statusReason) && Matches(condition.OnReason, reason) && Matches(condition.OnExitCode, code))
            {
                return condition.Retry;
            }
        }

        return true;
    }

    private static bool Matches(string? pattern, string? value) =>
        pattern is null
        || (pattern.EndsWith('*') ? (value ?? "").StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == value);

    private static bool IsReasonCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or ':' or ' ' or '\t';

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Pattern(JsonElement item, string name, Func<char, bool> allowed)
    {
        if (String(item, name) is not { } pattern)
        {
            return null;
        }

        var body = pattern.EndsWith('*') ? pattern[..^1] : pattern;
        if (pattern.Length > MaxPatternLength || !body.All(allowed))
        {
            throw AwsServiceException.Client($"retryStrategy.evaluateOnExit[].{name} '{pattern}' is not a valid pattern.");
        }

        return pattern;
    }
}
