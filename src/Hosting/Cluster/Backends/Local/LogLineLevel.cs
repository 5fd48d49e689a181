using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Cluster.Backends.Local;

/// <summary>
/// Reads the level of a line written by the console logger's simple single-line format
/// (<c>[timestamp ]info: Category[0] message</c>), which silos launched locally use.
/// </summary>
internal partial class LogLineLevel
{
    /// <summary>The level of <paramref name="line"/>, or null when the line does not start a log entry.</summary>
    public static LogLevel? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = Prefix().Match(line);
        if (!match.Success)
        {
            return null;
        }

        return match.Groups[1].Value switch
        {
            "trce" => LogLevel.Trace,
            "dbug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "fail" => LogLevel.Error,
            _ => LogLevel.Critical,
        };
    }

    [GeneratedRegex(@"^(?:\S+\s)?(trce|dbug|info|warn|fail|crit): ", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
