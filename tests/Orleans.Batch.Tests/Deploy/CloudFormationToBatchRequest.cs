using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// Turns the properties of a CloudFormation resource into the AWS Batch API request they stand for, guided by the
/// Batch model (tests/reference/aws-batch/service-2.json): CloudFormation names the request's members in
/// PascalCase, so each property must match a member of the shape at its place. Both branches of an <c>!If</c> must
/// fit; other intrinsic functions become a value of the member's type, and a <c>!Ref</c> to a parameter with
/// AllowedValues must allow only the member's enum values.
/// </summary>
internal sealed class CloudFormationToBatchRequest
{
    private static readonly Lazy<JsonObject> Shapes = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "reference", "aws-batch", "service-2.json")))!["shapes"]!.AsObject());

    private readonly JsonObject _parameters;
    private readonly List<string> _problems = [];

    public CloudFormationToBatchRequest(JsonObject templateParameters) => _parameters = templateParameters;

    /// <summary>What did not fit the model (properties that are no member, parameters whose values the model rejects).</summary>
    public IReadOnlyList<string> Problems => _problems;

    public JsonNode? Convert(string shape, JsonNode? properties, string path) => Convert(Shapes.Value[shape]!.AsObject(), shape, properties, path);

    private JsonNode? Convert(JsonObject shape, string shapeName, JsonNode? value, string path)
    {
        var type = shape["type"]!.GetValue<string>();
        if (CloudFormationTemplate.IsIntrinsic(value, out var function, out var argument))
        {
            if (function == "Fn::If" && argument is JsonArray { Count: 3 } branches)
            {
                // Either branch may be what CloudFormation sends: both must fit.
                var whenTrue = Convert(shape, shapeName, branches[1], $"{path}(if {branches[0]})");
                Convert(shape, shapeName, branches[2], $"{path}(if not {branches[0]})");
                return whenTrue;
            }

            if (function == "Ref" && _parameters[argument!.GetValue<string>()] is JsonObject parameter
                && parameter["AllowedValues"] is JsonArray allowed && shape["enum"] is JsonArray values)
            {
                foreach (var allowedValue in allowed.Select(a => a!.ToString()))
                {
                    if (!values.Any(v => v!.GetValue<string>() == allowedValue))
                    {
                        _problems.Add($"{path}: parameter {argument} allows '{allowedValue}', which is not one of {shapeName}'s values");
                    }
                }
            }

            return Placeholder(shape, type);
        }

        switch (type)
        {
            case "structure":
                if (value is not JsonObject obj)
                {
                    _problems.Add($"{path}: expected an object ({shapeName})");
                    return null;
                }

                var members = shape["members"]!.AsObject();
                var result = new JsonObject();
                foreach (var (name, member) in obj)
                {
                    var match = members.FirstOrDefault(m => string.Equals(m.Key, name, StringComparison.OrdinalIgnoreCase));
                    if (match.Key is null)
                    {
                        _problems.Add($"{path}.{name}: not a member of {shapeName}");
                        continue;
                    }

                    var memberShape = match.Value!["shape"]!.GetValue<string>();
                    result[match.Key] = Convert(Shapes.Value[memberShape]!.AsObject(), memberShape, member, $"{path}.{name}");
                }

                return result;
            case "list":
                if (value is not JsonArray array)
                {
                    _problems.Add($"{path}: expected a list ({shapeName})");
                    return null;
                }

                var itemShape = shape["member"]!["shape"]!.GetValue<string>();
                return new JsonArray(array.Select((item, i) => Convert(Shapes.Value[itemShape]!.AsObject(), itemShape, item, $"{path}[{i}]")).ToArray());
            case "map":
                if (value is not JsonObject map)
                {
                    _problems.Add($"{path}: expected a map ({shapeName})");
                    return null;
                }

                var valueShape = shape["value"]!["shape"]!.GetValue<string>();
                return new JsonObject(map.Select(entry =>
                    KeyValuePair.Create(entry.Key, Convert(Shapes.Value[valueShape]!.AsObject(), valueShape, entry.Value, $"{path}[{entry.Key}]"))));
            case "integer" or "long":
                return value is JsonValue v && long.TryParse(v.ToString(), out var number) ? JsonValue.Create(number) : value?.DeepClone();
            case "boolean":
                return value is JsonValue b && bool.TryParse(b.ToString(), out var flag) ? JsonValue.Create(flag) : value?.DeepClone();
            default:
                // Strings (CloudFormation writes numbers in string members, e.g. a resource requirement's value, as YAML numbers).
                return value is JsonValue scalar ? JsonValue.Create(scalar.ToString()) : value?.DeepClone();
        }
    }

    private static JsonNode Placeholder(JsonObject shape, string type) => type switch
    {
        "integer" or "long" => JsonValue.Create(60L),
        "boolean" => JsonValue.Create(true),
        "list" => new JsonArray(),
        "map" or "structure" => new JsonObject(),
        _ => JsonValue.Create(shape["enum"] is JsonArray values ? values[0]!.GetValue<string>() : "from-an-intrinsic-function"),
    };
}
