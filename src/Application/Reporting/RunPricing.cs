using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Orleans.Batch.Application.Reporting;

/// <summary>
/// The prices behind a run's cost estimate, in US dollars, from configuration section <c>OrleansBatch:Pricing</c>
/// (environment variables <c>OrleansBatch__Pricing__VcpuHourUsd</c>, ...). The defaults are AWS's public on-demand list
/// prices for us-east-1 as of <see cref="DefaultsAsOf"/>: AWS Fargate, Linux/x86 (per vCPU-hour and GB-hour), and
/// DynamoDB on-demand (per million read and write request units). For EC2 compute environments set
/// <see cref="VcpuHourUsd"/> to the instance's hourly price divided by its vCPUs and <see cref="GiBHourUsd"/> to 0;
/// for Spot, the Spot price.
/// </summary>
internal sealed record RunPricing
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansBatch:Pricing";

    /// <summary>When the default prices were taken from AWS's pricing pages.</summary>
    public const string DefaultsAsOf = "2026-12-07";

    /// <summary>Where the default prices come from.</summary>
    public const string DefaultsSource = "AWS list prices, us-east-1: Fargate Linux/x86 on-demand (aws.amazon.com/fargate/pricing), DynamoDB on-demand (aws.amazon.com/dynamodb/pricing/on-demand)";

    /// <summary>Price of one vCPU for an hour. Default 0.04048 (Fargate, Linux/x86, us-east-1).</summary>
    public double VcpuHourUsd { get; init; } = 0.04048;

    /// <summary>Price of one GiB of memory for an hour. Default 0.004445 (Fargate, us-east-1).</summary>
    public double GiBHourUsd { get; init; } = 0.004445;

    /// <summary>Price of one DynamoDB read request unit. Default 0.125 per million (on-demand, us-east-1).</summary>
    public double ReadRequestUnitUsd { get; init; } = 0.125 / 1e6;

    /// <summary>Price of one DynamoDB write request unit. Default 0.625 per million (on-demand, us-east-1).</summary>
    public double WriteRequestUnitUsd { get; init; } = 0.625 / 1e6;

    private static readonly RunPricing Defaults = new();

    /// <summary>Whether any price differs from the defaults (the report then says the prices are the user's).</summary>
    public bool IsOverridden => this != Defaults;

    /// <summary>Reads the prices from <paramref name="configuration"/>; a malformed or negative price is an error naming its key.</summary>
    /// <exception cref="RunReportException">A price is not a non-negative number.</exception>
    public static RunPricing From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return new RunPricing
        {
            VcpuHourUsd = Read(section, nameof(VcpuHourUsd), Defaults.VcpuHourUsd),
            GiBHourUsd = Read(section, nameof(GiBHourUsd), Defaults.GiBHourUsd),
            ReadRequestUnitUsd = Read(section, nameof(ReadRequestUnitUsd), Defaults.ReadRequestUnitUsd),
            WriteRequestUnitUsd = Read(section, nameof(WriteRequestUnitUsd), Defaults.WriteRequestUnitUsd),
        };
    }

    private static double Read(IConfigurationSection section, string key, double fallback)
    {
        if (section[key] is not { } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && double.IsFinite(price) && price >= 0
            ? price
            : throw new RunReportException($"{SectionName}:{key} must be a price in US dollars (a number, 0 or more), got {Orleans.Batch.Hosting.Configuration.InputText.Quote(text)}");
    }
}
