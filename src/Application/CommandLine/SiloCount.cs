using System.Globalization;
using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application.CommandLine;

/// <summary>The value of <c>--silos</c>: <c>N</c>, or a range <c>MIN:MAX</c> (wait for MAX, accept MIN).</summary>
/// <param name="Min">The fewest active silos to go on with once the timeout passes.</param>
/// <param name="Max">How many silos to launch and wait for.</param>
internal readonly record struct SiloCount(int Min, int Max)
{
    /// <summary>Parses <paramref name="text"/>; on failure returns the error for the user.</summary>
    public static bool TryParse(string text, out SiloCount value, out string error)
    {
        value = default;
        var parts = text.Split(':');
        if (parts.Length > 2 || !TryParseCount(parts[0], out var first, out error))
        {
            error = parts.Length > 2 ? $"--silos must be N or MIN:MAX, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}" : $"--silos must be a whole number N or a range MIN:MAX, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}";
            return false;
        }

        var second = first;
        if (parts.Length == 2 && !TryParseCount(parts[1], out second, out error))
        {
            error = $"--silos must be a whole number N or a range MIN:MAX, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}";
            return false;
        }

        foreach (var count in new[] { first, second })
        {
            if (count < 1)
            {
                error = $"--silos must be at least 1, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}";
                return false;
            }

            if (count > ClusterLaunchOptions.MaxSiloCount)
            {
                error = $"--silos must be at most {ClusterLaunchOptions.MaxSiloCount} (the AWS Batch array size limit), got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}";
                return false;
            }
        }

        if (first > second)
        {
            error = $"--silos MIN:MAX needs MIN <= MAX, got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}";
            return false;
        }

        value = new SiloCount(first, second);
        error = string.Empty;
        return true;
    }

    private static bool TryParseCount(string text, out int count, out string error)
    {
        error = string.Empty;
        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count);
    }

    /// <inheritdoc />
    public override string ToString() => Min == Max ? Max.ToString(CultureInfo.InvariantCulture) : $"{Min}:{Max}";
}
