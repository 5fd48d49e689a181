using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Batch.Application.Reporting;

/// <summary>Writes a <see cref="RunReport"/> as JSON (<c>--report FILE.json</c>), for scripts and CI dashboards.</summary>
internal static class RunReportFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serializes <paramref name="report"/>.</summary>
    public static string ToJson(RunReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> (replaced whole: written beside it, then moved).</summary>
    /// <exception cref="RunReportException">The file cannot be written.</exception>
    public static void Write(RunReport report, string path)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        try
        {
            File.WriteAllText(temporary, ToJson(report) + Environment.NewLine);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new RunReportException($"--report: cannot write {full}: {exception.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }
}
