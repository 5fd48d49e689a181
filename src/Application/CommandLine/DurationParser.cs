using System.Globalization;

namespace Orleans.Batch.Application.CommandLine;

/// <summary>
/// The one duration syntax of every command line here (the Batch emulator compiles this same file). Parses durations such as <c>90</c> (seconds), <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c> or <c>00:05:00</c>,
/// from 1 ms up to <see cref="Maximum"/>.
/// </summary>
internal static class DurationParser
{
    /// <summary>The longest duration any flag takes: 30 days (well past any Batch job a cluster would run).</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    /// <summary>How the maximum is written in messages.</summary>
    public const string MaximumText = "30d";

    /// <summary>Parses <paramref name="text"/> as a positive duration (or zero, with <paramref name="allowZero"/>) of at most <see cref="Maximum"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, bool allowZero = false)
    {
        duration = default;
        text = text?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > 64)
        {
            return false;
        }

        double seconds;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plain))
        {
            seconds = plain;
        }
        else if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
            {
                return false;
            }

            seconds = span.TotalSeconds;
        }
        else if (!TryParseUnits(text, out seconds))
        {
            return false;
        }

        // Compare as seconds before building a TimeSpan: a huge value must be refused, not overflow.
        if (!double.IsFinite(seconds) || (seconds < 0.001 && !(allowZero && seconds == 0)) || seconds > Maximum.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        return true;
    }

    private static bool TryParseUnits(string text, out double seconds)
    {
        seconds = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || i == text.Length
                || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitLength = text.AsSpan(i).StartsWith("ms", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
            var factor = char.ToLowerInvariant(text[i]) switch
            {
                'm' when unitLength == 2 => 0.001,
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                _ => double.NaN,
            };
            if (double.IsNaN(factor))
            {
                return false;
            }

            seconds += value * factor;
            i += unitLength - 1;
        }

        return true;
    }
}
