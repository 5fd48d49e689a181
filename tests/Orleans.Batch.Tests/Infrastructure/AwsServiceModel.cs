using System.Text.Json.Nodes;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// A botocore service model (service-2.json) that checks JSON bodies against its shapes: every member must exist,
/// have the shape's type and, for enums, one of its values; required members must be present.
/// </summary>
public sealed class AwsServiceModel
{
    private readonly JsonObject _shapes;
    private readonly JsonObject _operations;

    private AwsServiceModel(JsonNode model)
    {
        _shapes = model["shapes"]!.AsObject();
        _operations = model["operations"]!.AsObject();
    }

    /// <summary>The vendored AWS Batch model, tests/reference/aws-batch/service-2.json.</summary>
    public static AwsServiceModel Batch { get; } = Load(Path.Combine("tests", "reference", "aws-batch", "service-2.json"));

    public static AwsServiceModel Load(string pathFromRepositoryRoot)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, pathFromRepositoryRoot);
            if (File.Exists(candidate))
            {
                return new AwsServiceModel(JsonNode.Parse(File.ReadAllText(candidate))!);
            }
        }

        throw new FileNotFoundException($"{pathFromRepositoryRoot} was not found above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    public string OutputShape(string operation) => _operations[operation]!["output"]!["shape"]!.GetValue<string>();

    public string InputShape(string operation) => _operations[operation]!["input"]!["shape"]!.GetValue<string>();

    /// <summary>Every way <paramref name="body"/> departs from <paramref name="shape"/>; empty when it conforms.</summary>
    public IReadOnlyList<string> Check(string shape, JsonNode? body, IReadOnlySet<string>? requiredExemptions = null)
    {
        var problems = new List<string>();
        Check(shape, body, "$", problems, requiredExemptions ?? new HashSet<string>());
        return problems;
    }

    private void Check(string shapeName, JsonNode? value, string path, List<string> problems, IReadOnlySet<string> exemptions)
    {
        var shape = _shapes[shapeName]!;
        var type = shape["type"]!.GetValue<string>();
        switch (type)
        {
            case "structure":
                if (value is not JsonObject obj)
                {
                    problems.Add($"{path}: expected an object ({shapeName})");
                    return;
                }

                var members = shape["members"]!.AsObject();
                foreach (var (name, member) in obj)
                {
                    if (!members.ContainsKey(name))
                    {
                        problems.Add($"{path}.{name}: not a member of {shapeName}");
                        continue;
                    }

                    Check(members[name]!["shape"]!.GetValue<string>(), member, $"{path}.{name}", problems, exemptions);
                }

                foreach (var required in shape["required"]?.AsArray() ?? [])
                {
                    var name = required!.GetValue<string>();
                    if (!obj.ContainsKey(name) && !exemptions.Contains($"{shapeName}.{name}"))
                    {
                        problems.Add($"{path}.{name}: required by {shapeName} but missing");
                    }
                }

                break;
            case "list":
                if (value is not JsonArray array)
                {
                    problems.Add($"{path}: expected an array ({shapeName})");
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Check(shape["member"]!["shape"]!.GetValue<string>(), array[i], $"{path}[{i}]", problems, exemptions);
                }

                break;
            case "map":
                if (value is not JsonObject map)
                {
                    problems.Add($"{path}: expected a map ({shapeName})");
                    return;
                }

                foreach (var (key, entry) in map)
                {
                    Check(shape["value"]!["shape"]!.GetValue<string>(), entry, $"{path}[{key}]", problems, exemptions);
                }

                break;
            case "string":
                if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
                {
                    problems.Add($"{path}: expected a string ({shapeName})");
                }
                else if (shape["enum"] is JsonArray values && !values.Any(v => v!.GetValue<string>() == s))
                {
                    problems.Add($"{path}: '{s}' is not one of {shapeName}'s values");
                }

                break;
            case "integer" or "long":
                if (value is not JsonValue number || !number.TryGetValue<long>(out _))
                {
                    problems.Add($"{path}: expected an integer ({shapeName})");
                }

                break;
            case "boolean":
                if (value is not JsonValue flag || !flag.TryGetValue<bool>(out _))
                {
                    problems.Add($"{path}: expected a boolean ({shapeName})");
                }

                break;
            default:
                // float, double, timestamp, blob: not used by the operations we serve
                break;
        }
    }
}
