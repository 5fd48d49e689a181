using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// A CloudFormation YAML template read into JSON: short-form intrinsics (<c>!Ref X</c>, <c>!Sub ...</c>) become
/// their long form (<c>{"Ref": "X"}</c>, <c>{"Fn::Sub": ...}</c>), as CloudFormation itself reads them; plain
/// scalars that look like integers or booleans become numbers and booleans.
/// </summary>
internal sealed class CloudFormationTemplate
{
    private CloudFormationTemplate(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public JsonObject Parameters => Root[nameof(Parameters)]!.AsObject();

    public JsonObject Resources => Root[nameof(Resources)]!.AsObject();

    public JsonObject Outputs => Root[nameof(Outputs)]!.AsObject();

    public static CloudFormationTemplate Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path)))
        {
            yaml.Load(reader);
        }

        yaml.Documents.Count.ShouldBe(1, $"{path} must hold exactly one YAML document");
        return new CloudFormationTemplate(ToJson(yaml.Documents[0].RootNode)!.AsObject());
    }

    /// <summary>The anchors and aliases in a YAML file (CloudFormation rejects templates that use aliases).</summary>
    public static IReadOnlyList<string> AnchorsAndAliases(string path)
    {
        var found = new List<string>();
        using var reader = new StringReader(File.ReadAllText(path));
        var parser = new Parser(reader);
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    found.Add($"alias *{alias.Value} at line {alias.Start.Line}");
                    break;
                case NodeEvent { Anchor.IsEmpty: false } node:
                    found.Add($"anchor &{node.Anchor} at line {node.Start.Line}");
                    break;
            }
        }

        return found;
    }

    /// <summary>The resources of one type, by logical id.</summary>
    public IReadOnlyDictionary<string, JsonObject> ResourcesOfType(string type) =>
        Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == type).ToDictionary(r => r.Key, r => r.Value!.AsObject());

    public JsonObject Resource(string logicalId)
    {
        Resources.ContainsKey(logicalId).ShouldBeTrue($"the template has no resource '{logicalId}'");
        return Resources[logicalId]!.AsObject();
    }

    public JsonObject Properties(string logicalId) => Resource(logicalId)["Properties"]!.AsObject();

    /// <summary>Whether <paramref name="node"/> is an intrinsic function (<c>{"Ref": ...}</c> or <c>{"Fn::...": ...}</c>).</summary>
    public static bool IsIntrinsic(JsonNode? node, out string function, out JsonNode? argument)
    {
        if (node is JsonObject { Count: 1 } obj)
        {
            var (key, value) = obj.First();
            if (key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal))
            {
                function = key;
                argument = value;
                return true;
            }
        }

        function = string.Empty;
        argument = null;
        return false;
    }

    /// <summary>The logical id or parameter name a <c>{"Ref": ...}</c> names, else null.</summary>
    public static string? RefName(JsonNode? node) =>
        IsIntrinsic(node, out var function, out var argument) && function == "Ref" ? argument!.GetValue<string>() : null;

    /// <summary>The resource a <c>{"Fn::GetAtt": "Resource.Attribute"}</c> names, and the attribute, else null.</summary>
    public static (string Resource, string Attribute)? GetAtt(JsonNode? node)
    {
        if (!IsIntrinsic(node, out var function, out var argument) || function != "Fn::GetAtt")
        {
            return null;
        }

        var parts = argument is JsonArray array
            ? array.Select(p => p!.GetValue<string>()).ToArray()
            : argument!.GetValue<string>().Split('.', 2);
        return (parts[0], parts[1]);
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
                KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType} at {node.Start}"),
        };

        if (node.Tag.IsEmpty || node.Tag.Value is "tag:yaml.org,2002:str" or "!")
        {
            return value;
        }

        var tag = node.Tag.Value;
        tag.ShouldStartWith("!", customMessage: $"unexpected YAML tag {tag} at {node.Start}");
        var name = tag[1..];
        var function = name is "Ref" or "Condition" ? name : "Fn::" + name;
        return new JsonObject { [function] = value };
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return JsonValue.Create(text);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ => JsonValue.Create(text),
        };
    }
}
