using System.Text.Json;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>The Batch emulator's admin counters (<c>GET /_emulator/stats</c>): API calls per operation and jobs per status.</summary>
internal sealed record EmulatorStats(IReadOnlyDictionary<string, long> Calls, IReadOnlyDictionary<string, long> JobsByStatus)
{
    /// <summary>Reads the counters of the emulator at <paramref name="baseAddress"/>.</summary>
    public static async Task<EmulatorStats> ReadAsync(HttpClient http, Uri baseAddress, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(baseAddress, "_emulator/stats"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = document.RootElement;
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var operation in root.GetProperty("operations").EnumerateObject())
        {
            calls[operation.Name] = operation.Value.GetProperty("calls").GetInt64();
        }

        var jobs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var status in root.GetProperty("jobsByStatus").EnumerateObject())
        {
            jobs[status.Name] = status.Value.GetInt64();
        }

        return new EmulatorStats(calls, jobs);
    }

    /// <summary>Calls of <paramref name="operation"/> (0 when never called).</summary>
    public long CallsOf(string operation) => Calls.GetValueOrDefault(operation);

    /// <summary>Jobs (parents and children) in <paramref name="status"/>.</summary>
    public long JobsIn(string status) => JobsByStatus.GetValueOrDefault(status);
}
