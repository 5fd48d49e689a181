using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Hosting.Membership.Lease;
using Orleans.Batch.Hosting.Membership.Local;
using Orleans.Batch.Hosting.Silo;
using Orleans.Batch.Hosting.Silo.Addressing;
using Orleans.Configuration;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// Checks every <c>OrleansBatch:*</c> setting a silo reads before anything is built: a value that does not convert
/// (a port of <c>-1x</c>, a duration of <c>abc</c>), is out of range, or breaks the cluster id grammar is one line
/// naming the key and its environment variable, instead of a stack trace from deep inside the host's start.
/// </summary>
internal static class SiloSettingsCheck
{

    private static readonly (string Section, Type Options)[] Sections =
    [
        (SiloHostingOptions.SectionName, typeof(SiloHostingOptions)),
        (SiloAddressOptions.SectionName, typeof(SiloAddressOptions)),
        (ManagerLeaseOptions.SectionName, typeof(ManagerLeaseOptions)),
        (LocalMembershipOptions.SectionName, typeof(LocalMembershipOptions)),
        (DynamoDBMembershipOptions.SectionName, typeof(DynamoDBMembershipOptions)),
        (Security.ClusterTlsOptions.SectionName, typeof(Security.ClusterTlsOptions)),
        (SiloDashboardOptions.SectionName, typeof(SiloDashboardOptions)),
    ];

    /// <summary>Throws <see cref="OptionsValidationException"/> with one line per bad setting; returns when all are good.</summary>
    public static void ThrowIfInvalid(IConfiguration configuration)
    {
        var failures = Check(configuration);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(OrleansBatchConfiguration.SectionName, typeof(SiloHostingOptions), failures);
        }
    }

    /// <summary>Every problem with the silo's settings, one line each.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        var failures = new List<string>();

        // 1. Every value converts to its setting's type (the binder would throw an unreadable error at start).
        foreach (var (section, type) in Sections)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var key = $"{section}:{property.Name}";
                if (configuration[key] is { } text && Convert(text, property.PropertyType) is { } expected)
                {
                    failures.Add($"{Name(key)} must be {expected}, got {InputText.Quote(text)}");
                }
            }
        }

        if (failures.Count > 0)
        {
            return failures;
        }

        // 2. The cluster identity and the membership kind.
        var clusterId = configuration[OrleansBatchConfiguration.ClusterIdKey];
        if (ClusterIdGrammar.Validate(clusterId, Name(OrleansBatchConfiguration.ClusterIdKey)) is { } idError)
        {
            failures.Add(clusterId is null ? $"{Name(OrleansBatchConfiguration.ClusterIdKey)} is required: the manager sets it to the cluster id" : idError);
        }

        MembershipKind kind;
        try
        {
            kind = Silo.OrleansBatchSiloExtensions.ReadMembershipKind(configuration);
        }
        catch (OptionsValidationException exception)
        {
            failures.AddRange(exception.Failures.Select(WithVariable));
            return failures;
        }

        // 3. Each section's own rules (the same validators that run at start), plus the ranges that bound durations.
        Validate(configuration, SiloHostingOptions.SectionName, new SiloHostingOptionsValidator(), failures);
        Validate(configuration, SiloAddressOptions.SectionName, new SiloAddressOptionsValidator(), failures);
        if (configuration[OrleansBatchConfiguration.ExpectedSilosKey] is { } size
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var silos) || silos is < 1 or > Cluster.ClusterLaunchOptions.MaxSiloCount))
        {
            failures.Add($"{Name(OrleansBatchConfiguration.ExpectedSilosKey)} must be a whole number from 1 to {Cluster.ClusterLaunchOptions.MaxSiloCount.ToString(CultureInfo.InvariantCulture)}, got {InputText.Quote(size)}");
        }

        var lease = configuration.GetSection(ManagerLeaseOptions.SectionName).Get<ManagerLeaseOptions>();
        if (lease?.OrphanTimeout is { } orphan && (orphan < TimeSpan.FromSeconds(5) || orphan > OrleansBatchConfiguration.MaxDuration))
        {
            failures.Add($"{Name(ManagerLeaseOptions.SectionName + ":" + nameof(ManagerLeaseOptions.OrphanTimeout))} must be between 00:00:05 and 30.00:00:00, got {InputText.Quote(configuration[ManagerLeaseOptions.SectionName + ":" + nameof(ManagerLeaseOptions.OrphanTimeout)])}");
        }

        var hosting = configuration.GetSection(SiloHostingOptions.SectionName).Get<SiloHostingOptions>();
        if (hosting?.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{Name(SiloHostingOptions.SectionName + ":" + nameof(SiloHostingOptions.ShutdownTimeout))} must be at most 00:10:00, got {InputText.Quote(configuration[SiloHostingOptions.SectionName + ":" + nameof(SiloHostingOptions.ShutdownTimeout)])}");
        }

        if (hosting?.MaxPortAttempts > 100)
        {
            failures.Add($"{Name(SiloHostingOptions.SectionName + ":" + nameof(SiloHostingOptions.MaxPortAttempts))} must be at most 100, got {hosting.MaxPortAttempts.ToString(CultureInfo.InvariantCulture)}");
        }

        // The kill switch's Batch endpoint, when the manager passed one: the same rules as the manager's own client.
        if (configuration.GetSection(AwsBatch.AwsBatchClientOptions.SectionName).Exists())
        {
            Validate(configuration, AwsBatch.AwsBatchClientOptions.SectionName, new AwsBatch.AwsBatchClientOptionsValidator(), failures);
        }

        if (kind == MembershipKind.Local)
        {
            Validate(configuration, LocalMembershipOptions.SectionName, new LocalMembershipOptionsValidator(), failures);
            const string DirectoryKey = LocalMembershipOptions.SectionName + ":" + nameof(LocalMembershipOptions.Directory);
            if (configuration[DirectoryKey] is { Length: > 0 } directory && !Path.IsPathFullyQualified(directory))
            {
                failures.Add($"{Name(DirectoryKey)} must be an absolute path, got {InputText.Quote(directory)}");
            }
            else if (configuration[DirectoryKey] is { Length: > 0 } existing && !Directory.Exists(existing)
                && Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(existing)) is { } parent && !Directory.Exists(parent))
            {
                failures.Add($"{Name(DirectoryKey)} is {InputText.Quote(existing)}, whose parent directory does not exist");
            }
        }
        else
        {
            Validate(configuration, DynamoDBMembershipOptions.SectionName, new DynamoDBMembershipOptionsValidator(), failures);
        }

        return failures;
    }

    private static void Validate<T>(IConfiguration configuration, string section, IValidateOptions<T> validator, List<string> failures)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        if (validator.Validate(null, options) is { Failed: true } result)
        {
            failures.AddRange(result.Failures.Select(WithVariable));
        }
    }

    /// <summary>Null when <paramref name="text"/> converts to <paramref name="type"/>; else what was expected.</summary>
    private static string? Convert(string text, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return text.Any(char.IsControl) ? "text without control characters" : null;
        }

        if (target == typeof(Uri))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out _) ? null : "an absolute URL";
        }

        if (target.IsEnum)
        {
            return Enum.TryParse(target, text, ignoreCase: true, out var value) && Enum.IsDefined(target, value!) && !int.TryParse(text, out _)
                ? null
                : $"one of {string.Join(", ", Enum.GetNames(target))}";
        }

        var expected = target == typeof(TimeSpan) ? "a duration such as 00:01:00 (at most 30.00:00:00)"
            : target == typeof(int) ? "a whole number"
            : target == typeof(bool) ? "true or false"
            : target == typeof(double) ? "a number"
            : null;
        if (expected is null)
        {
            return null;
        }

        try
        {
            var value = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(text);
            return value is TimeSpan span && (span < TimeSpan.Zero || span > OrleansBatchConfiguration.MaxDuration) ? expected : null;
        }
        catch (Exception exception) when (exception is FormatException or NotSupportedException or ArgumentException or OverflowException
            || exception.InnerException is FormatException or OverflowException)
        {
            return expected;
        }
    }

    // Validators name the key; a silo is usually configured through the environment, so name the variable too.
    private static string WithVariable(string failure)
    {
        var match = System.Text.RegularExpressions.Regex.Match(failure, @"^OrleansBatch(:[A-Za-z0-9]+)+");
        var line = failure.TrimEnd('.');
        return match.Success && !line.AsSpan(match.Length).StartsWith(" (", StringComparison.Ordinal)
            ? Name(match.Value) + line[match.Length..]
            : line;
    }

    private static string Name(string key) => $"{key} ({OrleansBatchConfiguration.ToEnvironmentVariable(key)})";
}
