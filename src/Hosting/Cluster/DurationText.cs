using System.Globalization;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Durations as people read them in progress lines and errors: <c>8 s</c>, <c>1.5 s</c>, <c>3 min</c>.</summary>
internal static class DurationText
{
    /// <summary>Seconds below two minutes, minutes above.</summary>
    public static string Format(TimeSpan duration) => duration.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.#} min");
}
