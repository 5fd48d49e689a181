using System.Text.Json;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

/// <summary>The vendored AWS Batch API model (tests/reference/aws-batch), found by walking up to the solution.</summary>
internal static class AwsBatchReferenceModel
{
    private static readonly Lazy<string> Folder = new(FindFolder);
    private static readonly Lazy<JsonElement> Service = new(() => Load("service-2.json"));
    private static readonly Lazy<JsonElement> ExamplesDocument = new(() => Load("examples-1.json"));
    private static readonly Lazy<JsonElement> RuleSetDocument = new(() => Load("endpoint-rule-set-1.json"));

    public static JsonElement Shapes => Service.Value.GetProperty("shapes");

    public static JsonElement Operations => Service.Value.GetProperty("operations");

    public static JsonElement EndpointRuleSet => RuleSetDocument.Value;

    public static JsonElement Shape(string name) => Shapes.GetProperty(name);

    public static string InputShapeOf(string operation) => Operations.GetProperty(operation).GetProperty("input").GetProperty("shape").GetString()!;

    public static string OutputShapeOf(string operation) => Operations.GetProperty(operation).GetProperty("output").GetProperty("shape").GetString()!;

    public static IEnumerable<JsonElement> Examples(string operation)
        => ExamplesDocument.Value.GetProperty("examples").TryGetProperty(operation, out var list) ? list.EnumerateArray() : [];

    private static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder.Value, file)));
        return document.RootElement.Clone();
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.Batch.sln")))
            {
                var folder = Path.Combine(directory.FullName, "tests", "reference", "aws-batch");
                return File.Exists(Path.Combine(folder, "service-2.json"))
                    ? folder
                    : throw new InvalidOperationException($"The AWS Batch model is missing: expected {folder}/service-2.json (it is vendored in the repository; restore it from git).");
            }
        }

        throw new InvalidOperationException($"Could not find Orleans.Batch.sln above {AppContext.BaseDirectory}; run the tests from the repository checkout.");
    }
}
