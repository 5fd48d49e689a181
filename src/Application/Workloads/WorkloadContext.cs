using Spectre.Console;

namespace Orleans.Batch.Application;

/// <summary>What a workload gets besides the cluster: where results go, a console for progress, and its options.</summary>
/// <param name="Output">Results (standard output).</param>
/// <param name="Console">Progress and notes (standard error); can draw progress bars on a terminal.</param>
/// <param name="Options">The <c>--workload-option KEY=VALUE</c> pairs.</param>
public sealed record WorkloadContext(TextWriter Output, IAnsiConsole Console, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>True when <see cref="Console"/> is a terminal that can redraw progress.</summary>
    public bool IsInteractive => Console.Profile.Capabilities.Interactive && Console.Profile.Capabilities.Ansi;

    /// <summary>A whole-number option (accepts 1e8 and 1_000_000 forms), or <paramref name="defaultValue"/>.</summary>
    /// <param name="key">The option's name.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <returns>The value.</returns>
    /// <exception cref="WorkloadOptionException">The option is not a positive whole number.</exception>
    public long GetInt64(string key, long defaultValue)
    {
        if (!Options.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        text = text.Replace("_", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= 1 && value <= long.MaxValue && Math.Floor(value) == value)
        {
            return (long)value;
        }

        throw new WorkloadOptionException($"--workload-option {key} must be a positive whole number, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(Options[key])}");
    }
}
