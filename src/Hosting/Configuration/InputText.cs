using System.Globalization;
using System.Text;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// Shows a value someone typed (or an environment held) inside a one-line error: quoted, with control characters
/// escaped so a newline cannot split the line, and cut short when it is long.
/// </summary>
public static class InputText
{
    /// <summary>How many characters of a value an error message shows.</summary>
    public const int MaxShown = 80;

    /// <summary>The value in single quotes, escaped and shortened: <c>'a\nb'</c>, <c>'xxxx… (5000 characters)'</c>.</summary>
    /// <param name="value">The value as given.</param>
    /// <returns>Text safe for one line.</returns>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var shown = new StringBuilder(Math.Min(value.Length, MaxShown) + 16).Append('\'');
        foreach (var c in value.Length > MaxShown ? value[..MaxShown] : value)
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\\' => "\\\\",
                _ when char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        shown.Append('\'');
        if (value.Length > MaxShown)
        {
            shown.Append(CultureInfo.InvariantCulture, $"… ({value.Length} characters)");
        }

        return shown.ToString();
    }
}
