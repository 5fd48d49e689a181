using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orleans.Batch.Benchmarks.Results;

/// <summary>
/// Keeps the results of scenarios a run did not measure: a run with <c>--only</c> replaces the rows and breakdown
/// groups it measured and keeps every other row and group of the previous latest.json, with the commit and date of
/// the run that measured it. A run without <c>--only</c> writes its results alone.
/// </summary>
internal static class ResultsMerge
{
    /// <summary>Reads a previous latest.json, including one written before rows carried their own commit and date.</summary>
    /// <returns>The document, or null when there is none.</returns>
    public static ResultsDocument? ReadPrevious(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path} is not a JSON object.");

        // Older files: no runs, rows without commit/date/baselineIs, notes and errors as plain strings.
        var date = root["date"]!.GetValue<DateTimeOffset>();
        var commit = root["commit"]!.GetValue<string>();
        if (root["runs"] is null)
        {
            root["runs"] = new JsonArray(new JsonObject
            {
                ["date"] = date,
                ["commit"] = commit,
                ["dirtyTree"] = root["dirtyTree"]?.DeepClone(),
                ["mode"] = root["mode"]?.DeepClone(),
                ["command"] = root["command"]?.DeepClone(),
                ["durationSeconds"] = root["durationSeconds"]?.DeepClone(),
                ["machine"] = root["machine"]?.DeepClone(),
            });
        }

        foreach (var row in root["rows"]!.AsArray().Concat(root["breakdown"]!.AsArray()).OfType<JsonObject>())
        {
            row["commit"] ??= commit;
            row["date"] ??= date;
        }

        foreach (var row in root["rows"]!.AsArray().OfType<JsonObject>())
        {
            row["baselineIs"] ??= row["baseline"] is null ? BaselineKinds.None : BaselineKinds.PlainOrleans;
        }

        foreach (var list in new[] { "notes", "errors" })
        {
            var items = root[list]!.AsArray();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonValue text)
                {
                    items[i] = new JsonObject { ["text"] = text.GetValue<string>(), ["commit"] = commit, ["date"] = date };
                }
            }
        }

        return root.Deserialize(ResultsJsonContext.Default.ResultsDocument)
            ?? throw new InvalidDataException($"{path} holds no results.");
    }

    /// <summary>The latest run's results, plus whatever of <paramref name="previous"/> it did not measure again.</summary>
    public static ResultsDocument Merge(ResultsDocument latest, ResultsDocument previous)
    {
        var latestRows = latest.Rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var rows = previous.Rows.Select(r => latestRows.GetValueOrDefault(r.Id) ?? r).ToList();
        rows.AddRange(latest.Rows.Where(r => !previous.Rows.Any(p => p.Id == r.Id)));

        // Breakdown groups are replaced whole: a group the latest run measured holds only its samples.
        var latestGroups = latest.Breakdown.Select(b => b.Group).ToHashSet(StringComparer.Ordinal);
        var breakdown = new List<BreakdownRow>();
        foreach (var group in previous.Breakdown.Select(b => b.Group).Distinct(StringComparer.Ordinal))
        {
            breakdown.AddRange(latestGroups.Contains(group)
                ? latest.Breakdown.Where(b => b.Group == group)
                : previous.Breakdown.Where(b => b.Group == group));
        }

        breakdown.AddRange(latest.Breakdown.Where(b => !previous.Breakdown.Any(p => p.Group == b.Group)));

        // Every run that still owns a row or a group, the latest first; notes and errors of runs no longer shown go.
        var runs = latest.Runs
            .Concat(previous.Runs.Where(r => !latest.Runs.Any(l => l.Owns(r.Commit, r.Date))).OrderByDescending(r => r.Date))
            .Where(run => rows.Any(r => run.Owns(r.Commit, r.Date)) || breakdown.Any(b => run.Owns(b.Commit, b.Date)) || latest.Runs.Contains(run))
            .ToList();
        bool Kept(RunNote note) => runs.Any(r => r.Owns(note.Commit, note.Date));

        return latest with
        {
            Runs = runs,
            Rows = rows,
            Breakdown = breakdown,
            Findings = Findings.Write(rows, breakdown),
            Notes = [.. latest.Notes, .. previous.Notes.Where(n => Kept(n) && !latest.Runs.Any(r => r.Owns(n.Commit, n.Date)))],
            Errors = [.. latest.Errors, .. previous.Errors.Where(e => Kept(e) && !latest.Runs.Any(r => r.Owns(e.Commit, e.Date)))],
        };
    }
}
