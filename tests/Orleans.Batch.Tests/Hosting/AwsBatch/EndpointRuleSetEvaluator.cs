using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>
/// Evaluates the vendored endpoint-rule-set-1.json (the subset of the rules language it uses: isSet, booleanEquals,
/// stringEquals, getAttr, aws.partition with assign, templates) so the client's endpoint derivation can be checked
/// against the rules themselves rather than against hand-copied URLs.
/// </summary>
internal static partial class EndpointRuleSetEvaluator
{
    /// <summary>The endpoint URL, or the rule set's error message prefixed with <c>error:</c>.</summary>
    public static string Evaluate(string? region, bool useFips, bool useDualStack, string? endpoint = null)
    {
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Region"] = region,
            ["UseFIPS"] = useFips,
            ["UseDualStack"] = useDualStack,
            ["Endpoint"] = endpoint,
        };
        return EvaluateRules(AwsBatchReferenceModel.EndpointRuleSet.GetProperty("rules"), scope)
            ?? throw new InvalidOperationException("No rule matched.");
    }

    private static string? EvaluateRules(JsonElement rules, Dictionary<string, object?> outer)
    {
        foreach (var rule in rules.EnumerateArray())
        {
            var scope = new Dictionary<string, object?>(outer, StringComparer.Ordinal);
            if (!rule.GetProperty("conditions").EnumerateArray().All(condition => Holds(condition, scope)))
            {
                continue;
            }

            switch (rule.GetProperty("type").GetString())
            {
                case "endpoint":
                    return Resolve(rule.GetProperty("endpoint").GetProperty("url"), scope) as string;
                case "error":
                    return "error:" + rule.GetProperty("error").GetString();
                case "tree":
                    if (EvaluateRules(rule.GetProperty("rules"), scope) is { } result)
                    {
                        return result;
                    }

                    break;
            }
        }

        return null;
    }

    private static bool Holds(JsonElement condition, Dictionary<string, object?> scope)
    {
        var value = Call(condition, scope);
        if (condition.TryGetProperty("assign", out var assign))
        {
            scope[assign.GetString()!] = value;
        }

        return value switch
        {
            null => false,
            bool b => b,
            _ => true,
        };
    }

    private static object? Call(JsonElement call, Dictionary<string, object?> scope)
    {
        var args = call.GetProperty("argv").EnumerateArray().Select(a => Resolve(a, scope)).ToArray();
        return call.GetProperty("fn").GetString() switch
        {
            "isSet" => args[0] is not null,
            "booleanEquals" => Equals(args[0], args[1]),
            "stringEquals" => Equals(args[0], args[1]),
            "aws.partition" => args[0] is string region ? Fn.Partition(region) : null,
            "getAttr" => Attribute(args[0], (string)args[1]!),
            var other => throw new NotSupportedException($"Rule function {other} is not supported by this evaluator."),
        };
    }

    private static object? Resolve(JsonElement value, Dictionary<string, object?> scope) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => Template(value.GetString()!, scope),
        JsonValueKind.Object when value.TryGetProperty("ref", out var reference) => scope.GetValueOrDefault(reference.GetString()!),
        JsonValueKind.Object when value.TryGetProperty("fn", out _) => Call(value, scope),
        _ => throw new NotSupportedException(value.GetRawText()),
    };

    private static string Template(string template, Dictionary<string, object?> scope)
        => Placeholder().Replace(template, match =>
        {
            var parts = match.Groups[1].Value.Split('#');
            var value = scope[parts[0]];
            return Convert.ToString(parts.Length == 1 ? value : Attribute(value, parts[1]), System.Globalization.CultureInfo.InvariantCulture)!;
        });

    private static object? Attribute(object? target, string name) => target is Partition partition
        ? name switch
        {
            "name" => partition.name,
            "dnsSuffix" => partition.dnsSuffix,
            "dualStackDnsSuffix" => partition.dualStackDnsSuffix,
            "supportsFIPS" => partition.supportsFIPS,
            "supportsDualStack" => partition.supportsDualStack,
            _ => throw new NotSupportedException(name),
        }
        : throw new NotSupportedException($"getAttr on {target}");

    [GeneratedRegex("\\{([A-Za-z#]+)\\}")]
    private static partial Regex Placeholder();
}
