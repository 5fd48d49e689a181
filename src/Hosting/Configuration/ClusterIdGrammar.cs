using System.Globalization;
using System.Text;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// The one grammar of cluster ids, checked wherever an id enters (a flag, a setting, an environment variable, the
/// manager's own Batch job id), and the one mapping from an id to names that are safe as a file name and as a
/// Batch job name part.
/// </summary>
/// <remarks>
/// <para>
/// A cluster id is 1 to <see cref="MaxLength"/> characters (and at most <see cref="MaxSafeNameLength"/> once made safe): letters of any script, ASCII digits, <c>-</c>,
/// <c>_</c> and <c>:</c> (a Batch array child's job id is <c>&lt;parent&gt;:&lt;index&gt;</c>), starting with a
/// letter or a digit. Control characters, white space, dots, slashes and every other character are refused, so an
/// id can never be read as a path.
/// </para>
/// <para>
/// <see cref="ToSafeName"/> is one-to-one: lower-case ASCII letters, digits and <c>-</c> stand for themselves and
/// every other character becomes <c>_</c> and its four hexadecimal UTF-16 digits. Two different ids never share a
/// file (<c>ä1</c> is <c>_00e41</c>, <c>ö1</c> is <c>_00f61</c>), not even on a file system that ignores case
/// (<c>A</c> is <c>_0041</c>).
/// </para>
/// </remarks>
public static class ClusterIdGrammar
{
    /// <summary>The longest cluster id: 64 characters (a Batch job id has 36).</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The longest safe name: 200 characters, so every file name built from it stays under the usual 255-byte limit.
    /// Only ids with many capitals, non-ASCII letters, <c>_</c> or <c>:</c> (five characters each) come near it.
    /// </summary>
    public const int MaxSafeNameLength = 200;

    /// <summary>The grammar in one phrase, for error messages and documentation.</summary>
    public const string Description = "1-64 letters, digits, '-', '_' or ':', starting with a letter or digit";

    /// <summary>Checks <paramref name="value"/> against the grammar.</summary>
    /// <param name="value">The candidate id.</param>
    /// <param name="source">Where it came from, named in the error: a flag, a setting or an environment variable.</param>
    /// <returns>Null when valid; else one line naming <paramref name="source"/> and the rule broken.</returns>
    public static string? Validate(string? value, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (string.IsNullOrEmpty(value))
        {
            return $"{source} must not be empty: a cluster id is {Description}";
        }

        if (value.Length > MaxLength)
        {
            return $"{source} must be at most {MaxLength} characters, got {value.Length.ToString(CultureInfo.InvariantCulture)}: {InputText.Quote(value)}";
        }

        if (!IsLetterOrDigit(value, 0))
        {
            return $"{source} must start with a letter or a digit (a cluster id is {Description}), got {InputText.Quote(value)}";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (!IsLetterOrDigit(value, i) && value[i] is not ('-' or '_' or ':'))
            {
                return $"{source} may hold only letters, digits, '-', '_' and ':', got {InputText.Quote(value)} (character {(i + 1).ToString(CultureInfo.InvariantCulture)} is {InputText.Quote(value[i].ToString())})";
            }
        }

        var safeLength = value.Sum(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' ? 1 : 5);
        if (safeLength > MaxSafeNameLength)
        {
            return $"{source} is too long once its capitals, non-ASCII letters, '_' and ':' are spelled out for file names ({safeLength.ToString(CultureInfo.InvariantCulture)} of at most {MaxSafeNameLength.ToString(CultureInfo.InvariantCulture)} characters), got {InputText.Quote(value)}";
        }

        return null;
    }

    /// <summary>True when <paramref name="value"/> follows the grammar.</summary>
    /// <param name="value">The candidate id.</param>
    /// <returns>Whether it is a valid cluster id.</returns>
    public static bool IsValid(string? value) => Validate(value, "cluster id") is null;

    /// <summary>
    /// The id as a name made only of lower-case ASCII letters, digits, <c>-</c> and <c>_</c>: safe as a file name and as a
    /// Batch job name part, and different for every different id.
    /// </summary>
    /// <param name="clusterId">A valid cluster id.</param>
    /// <returns>The safe name.</returns>
    /// <exception cref="ArgumentException">The id does not follow the grammar.</exception>
    public static string ToSafeName(string clusterId)
    {
        if (Validate(clusterId, nameof(clusterId)) is { } error)
        {
            throw new ArgumentException(error, nameof(clusterId));
        }

        var name = new StringBuilder(clusterId.Length);
        foreach (var c in clusterId)
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            {
                name.Append(c);
            }
            else
            {
                name.Append('_').Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return name.ToString();
    }

    /// <summary>The cluster id that <paramref name="safeName"/> stands for, or null when it is not a safe name of a valid id.</summary>
    /// <param name="safeName">A name made by <see cref="ToSafeName"/>.</param>
    /// <returns>The id, or null.</returns>
    public static string? FromSafeName(string safeName)
    {
        ArgumentNullException.ThrowIfNull(safeName);
        var id = new StringBuilder(safeName.Length);
        for (var i = 0; i < safeName.Length; i++)
        {
            var c = safeName[i];
            if (c == '_')
            {
                if (i + 4 >= safeName.Length)
                {
                    return null;
                }

                if (!int.TryParse(safeName.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    return null;
                }

                id.Append((char)code);
                i += 4;
            }
            else if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            {
                id.Append(c);
            }
            else
            {
                return null;
            }
        }

        var result = id.ToString();

        // Only the canonical spelling counts: "_0061" is not another name of "a".
        return IsValid(result) && ToSafeName(result) == safeName ? result : null;
    }

    private static bool IsLetterOrDigit(string value, int index)
    {
        var c = value[index];
        return char.IsAsciiDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
    }
}
