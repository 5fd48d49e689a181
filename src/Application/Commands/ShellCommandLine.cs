using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application.Commands;

/// <summary>A command line of this same Launcher, quoted for a POSIX shell, for messages that tell a person what to run.</summary>
internal static class ShellCommandLine
{
    /// <summary>This Launcher (its app host, or <c>dotnet</c> and its dll) followed by <paramref name="arguments"/>.</summary>
    public static string ForLauncher(IEnumerable<string> arguments)
    {
        return string.Join(' ', CurrentProgram.Command([.. arguments]).Select(Quote));
    }

    // POSIX shell quoting, only where needed.
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '=' or '@' or ',' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
