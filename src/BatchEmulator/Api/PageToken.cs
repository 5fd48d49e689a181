using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>
/// Opaque nextToken values: the sort key of the last item returned, so a page is stable while jobs are added.
/// </summary>
internal static class PageToken
{
    public static string Encode(string kind, long lastKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{kind}:{lastKey.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The last key of the previous page, or null for the first page.</summary>
    public static long? Decode(string kind, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(kind + ":", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(kind.Length + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var key))
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw AwsServiceException.Client("Invalid nextToken: it was not returned by a previous request of this kind.");
    }
}
