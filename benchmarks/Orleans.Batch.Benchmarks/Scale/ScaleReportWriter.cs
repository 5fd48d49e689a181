using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orleans.Batch.Benchmarks.Scale;

/// <summary>Writes <c>scale.json</c> (measurements, validation, model, extrapolation) and its table in <c>latest.md</c>.</summary>
internal static class ScaleReportWriter
{
    public const string FileName = "scale.json";

    // A row of ours is about 0.5 KB: a full read costs about an eighth of a read unit per row (strongly consistent).
    private const double ReadUnitsPerRow = 0.125;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static readonly int[] ModelSizes = [100, 1000, 2000, 4000, 10_000];

    public static async Task<string> WriteAsync(IReadOnlyList<ScaleResult> results, string commit, string outDirectory)
    {
        var validation = new List<ScaleValidation>();
        foreach (var real in results.Where(r => r.Kind == "real"))
        {
            if (results.FirstOrDefault(r => r.Kind == "simulated" && r.Silos == real.Silos) is not { } simulated)
            {
                continue;
            }

            foreach (var operation in real.RequestsPerSiloPerMinute.Keys.Union(simulated.RequestsPerSiloPerMinute.Keys).Order(StringComparer.Ordinal))
            {
                var r = real.RequestsPerSiloPerMinute.GetValueOrDefault(operation);
                var s = simulated.RequestsPerSiloPerMinute.GetValueOrDefault(operation);
                validation.Add(new ScaleValidation(real.Silos, operation, r, s, r == 0 ? double.NaN : Math.Round(s / r, 3)));
            }
        }

        var model = new List<string>
        {
            "N silos; timings from Orleans.Batch.Hosting.Configuration.MembershipScale:",
            "table refresh R = clamp(N/50 s, 2 s, 30 s): one strongly consistent read of the version item (1 read unit) per silo per R",
            "full partition read at most every S = clamp(N/2 s, 10 s, 15 min) (each snapshot reused for 75-100 % of S): about N/8 read units per read",
            "lease check L = max(orphan timeout/6, N/100 s): 1 read unit per silo per L",
            "I-am-alive A = clamp(N/50 s, 10 s, 60 s): 1 write unit per silo per A",
            "steady reads/s = N * (1/R + (N/8)/(0.875*S) + 1/L); steady writes/s = N/A",
            "cost/h = 3600 * (reads/s * $0.125e-6 + writes/s * $0.625e-6) (on-demand us-east-1)",
            "one partition serves 3,000 read units/s: full reads alone reach that at N*N/8/(0.875*900 s) = 3,000, about N = 4,300",
        };
        var extrapolation = ModelSizes.Select(n =>
        {
            var (reads, writes) = ScaleScenario.Model(n, ReadUnitsPerRow);
            var cost = ScaleScenario.CostPerHour(reads, writes);
            return new ScaleResult(n, "model", null, n, 0, Math.Round(reads, 1), Math.Round(writes, 1), 0, 0, 0, 0, 0, 0, Math.Round(cost, 4), Math.Round(cost / n, 7), new Dictionary<string, double>());
        }).ToList();

        var report = new ScaleReport(DateTimeOffset.UtcNow, commit, ScaleScenario.Prices, results, validation, model, extrapolation);
        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, FileName);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json) + "\n");
        return path;
    }

    public static async Task AppendToMarkdownAsync(string outDirectory)
    {
        var path = Path.Combine(outDirectory, FileName);
        var markdown = Path.Combine(outDirectory, "latest.md");
        if (!File.Exists(path) || !File.Exists(markdown) || JsonSerializer.Deserialize<ScaleReport>(await File.ReadAllTextAsync(path)) is not { } report)
        {
            return;
        }

        var text = new StringBuilder();
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Scale (membership on DynamoDB Local, one partition's limits; {report.MeasuredAt:yyyy-MM-dd}, commit {report.Commit[..Math.Min(7, report.Commit.Length)]}; scale.json)");
        text.AppendLine().AppendLine("| silos | kind | join (s) | read units/s | write units/s | requests/s | throttled | join read units | peak read units/s | $/hour | $/silo-hour |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in report.Results.Concat(report.Extrapolation))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Silos} | {r.Kind} | {(r.JoinSeconds is { } j ? j.ToString("0.0", CultureInfo.InvariantCulture) : r.Kind == "model" ? "-" : $"not all ({r.ActiveSilos})")} | {r.ReadUnitsPerSecond:0.0} | {r.WriteUnitsPerSecond:0.0} | {r.RequestsPerSecond:0.0} | {r.ThrottledRequests} | {r.JoinReadUnits:0} | {r.PeakReadUnitsPerSecond:0} | {r.CostPerHourUsd:0.0000} | {r.CostPerSiloHourUsd:0.0000000} |"));
        }

        if (report.Validation.Count > 0)
        {
            text.AppendLine().AppendLine("Simulated against real silos, requests per silo per minute: " + string.Join("; ", report.Validation.Select(v =>
                string.Create(CultureInfo.InvariantCulture, $"{v.Silos} silos {v.Operation} {v.Real:0.0} real, {v.Simulated:0.0} simulated"))));
        }

        text.AppendLine().AppendLine("Model: " + string.Join("; ", report.Model));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Prices: reads ${report.Prices.ReadRequestUnit * 1e6:0.000}/million, writes ${report.Prices.WriteRequestUnit * 1e6:0.000}/million, smallest instance {report.Prices.SmallestInstance} ${report.Prices.SmallestInstanceHour}/h (1 % = ${report.Prices.SmallestInstanceHour / 100:0.000000} per silo-hour)."));
        var existing = await File.ReadAllTextAsync(markdown);
        var cut = existing.IndexOf("\n## Scale (", StringComparison.Ordinal);
        await File.WriteAllTextAsync(markdown, (cut >= 0 ? existing[..cut] : existing).TrimEnd() + "\n" + text);
    }
}
