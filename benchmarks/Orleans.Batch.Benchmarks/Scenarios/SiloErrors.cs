using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Results;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>Notes what the silos logged at error level: how many lines, and the first one, shortened.</summary>
internal static class SiloErrors
{
    private const int MaxLength = 240;

    public static void Note(Measurements measurements, IBenchCluster cluster, string? label = null)
    {
        var errors = cluster.SiloErrors.Where(e => e.Contains(" fail: ", StringComparison.Ordinal) || e.Contains(" crit: ", StringComparison.Ordinal)).ToList();
        if (errors.Count == 0)
        {
            return;
        }

        var first = errors[0].Length > MaxLength ? errors[0][..MaxLength] + "…" : errors[0];
        measurements.Note($"{label ?? cluster.Side.ToString()}, {cluster.Silos.Count} silos: the silos logged {errors.Count} error(s), the first: `{first.Replace('`', '\'')}`");
    }
}
