using System.Globalization;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>
/// Reads the moments that matter from a silo's console log (simple single-line format with an
/// <c>HH:mm:ss.fff</c> timestamp, which both sides' silos write): the same Orleans messages on both sides.
/// </summary>
internal static class SiloLog
{
    /// <summary>The line an Orleans silo logs once it has started (joined the cluster as active).</summary>
    public const string Started = "Orleans.Hosting.SiloHostedService[1628589225] Orleans Silo started.";

    /// <summary>The milestones, as (name, text the log line contains).</summary>
    public static readonly IReadOnlyList<(string Name, string Text)> Milestones =
    [
        ("Orleans silo starting", "Orleans.Hosting.SiloHostedService[645332424] Starting Orleans Silo."),
        ("membership: joining", "MembershipAgent[100663] Joining"),
        ("membership: active", "MembershipAgent[100604] -BecomeActive"),
        ("Orleans silo started", Started),
        ("Orleans silo stopping", "Orleans.Hosting.SiloHostedService[1282188488] Stopping Orleans Silo"),
        ("Orleans silo stopped", "Orleans.Hosting.SiloHostedService[1626616229] Orleans Silo stopped."),
    ];

    /// <summary>The first time each milestone appears in the log, relative to <paramref name="clock"/>.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> Read(string path, Clock clock)
    {
        var found = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return found;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length < 13 || !TimeOnly.TryParseExact(line.AsSpan(0, 12), "HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                continue;
            }

            foreach (var (name, text) in Milestones)
            {
                if (!found.ContainsKey(name) && line.Contains(text, StringComparison.Ordinal))
                {
                    found[name] = clock.Offset(ToDateTime(time, clock.WallStart));
                }
            }
        }

        return found;
    }

    /// <summary>Counts the lines containing <paramref name="text"/>.</summary>
    public static int Count(string path, string text)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    // Log lines carry only the time of day: take the date of the clock's start, across midnight if need be.
    private static DateTime ToDateTime(TimeOnly time, DateTime reference)
    {
        var candidate = reference.Date + time.ToTimeSpan();
        if (candidate - reference > TimeSpan.FromHours(12))
        {
            candidate = candidate.AddDays(-1);
        }
        else if (reference - candidate > TimeSpan.FromHours(12))
        {
            candidate = candidate.AddDays(1);
        }

        return candidate;
    }
}
