using System.Globalization;

namespace Orleans.Batch.Launcher.Cli;

/// <summary>Parses durations such as <c>90</c> (seconds), <c>90s</c>, <c>5m</c>, <c>1h30m</c> or <c>00:05:00</c>.</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/> as a positive duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds > 0 && double.IsFinite(seconds);
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var number = 0;
        var sawUnit = false;
        for (var i = 0; i < text.Length; i++)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || i == text.Length)
            {
                return false;
            }

            if (!double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitLength = text.AsSpan(i).StartsWith("ms", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
            var unit = text.Substring(i, unitLength).ToLowerInvariant();
            total += unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => TimeSpan.MinValue,
            };
            if (total < TimeSpan.Zero)
            {
                return false;
            }

            i += unitLength - 1;
            number++;
            sawUnit = true;
        }

        duration = total;
        return sawUnit && number > 0 && total > TimeSpan.Zero;
    }
}
