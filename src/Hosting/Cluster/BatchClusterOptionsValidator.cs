using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Validates <see cref="BatchClusterOptions"/> at start, naming the setting (<c>OrleansBatch:Cluster:*</c>).</summary>
internal sealed class BatchClusterOptionsValidator : IValidateOptions<BatchClusterOptions>
{

    public ValidateOptionsResult Validate(string? name, BatchClusterOptions options)
    {
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem, one line each, naming the setting.</summary>
    public static IEnumerable<string> Check(BatchClusterOptions options)
    {
        const string S = BatchClusterOptions.SectionName + ":";
        if (options.Backend is { } backend && backend is not (BatchClusterOptions.LocalBackend or BatchClusterOptions.AwsBatchBackend))
        {
            yield return $"{S}Backend must be {BatchClusterOptions.LocalBackend} or {BatchClusterOptions.AwsBatchBackend}, got {InputText.Quote(backend)}";
        }

        if (options.Silos is < 1 or > ClusterLaunchOptions.MaxSiloCount)
        {
            yield return $"{S}Silos must be between 1 and {ClusterLaunchOptions.MaxSiloCount}, got {options.Silos}";
        }

        // The local backend's limit belongs to the library, so every host gets it, not only the command line.
        if (options.EffectiveBackend() == BatchClusterOptions.LocalBackend && options.Silos > Backends.Local.LocalSiloLimit.ForThisMachine)
        {
            yield return $"{S}Silos is {options.Silos}, more than the local backend runs on this machine: at most {Backends.Local.LocalSiloLimit.ForThisMachine} ({Backends.Local.LocalSiloLimit.Explain()}); use the {BatchClusterOptions.AwsBatchBackend} backend for more";
        }

        if (options.ReplaceLost is < 0 or > ClusterLaunchOptions.MaxReplaceLost)
        {
            yield return $"{S}ReplaceLost must be between 0 and {ClusterLaunchOptions.MaxReplaceLost}, got {options.ReplaceLost}";
        }

        if (options.MinSilos is { } min && (min < 1 || min > options.Silos))
        {
            yield return $"{S}MinSilos must be between 1 and {S}Silos ({options.Silos}), got {min}";
        }

        if (options.ClusterId is not null && ClusterIdGrammar.Validate(options.ClusterId, S + "ClusterId") is { } idError)
        {
            yield return idError;
        }

        foreach (var (setting, value, minimum) in new (string, TimeSpan?, TimeSpan)[]
        {
            ("LaunchTimeout", options.LaunchTimeout, TimeSpan.FromMilliseconds(1)),
            ("OrphanTimeout", options.OrphanTimeout, TimeSpan.FromSeconds(5)),
            ("TeardownTimeout", options.TeardownTimeout, TimeSpan.FromMilliseconds(1)),
            ("MaxRuntime", options.MaxRuntime, TimeSpan.FromSeconds(60)),
        })
        {
            if (value is { } duration && (duration < minimum || duration > OrleansBatchConfiguration.MaxDuration))
            {
                yield return $"{S}{setting} must be between {minimum:c} and {OrleansBatchConfiguration.MaxDuration:c}, got {duration:c}";
            }
        }

        if (options.EffectiveBackend() == BatchClusterOptions.AwsBatchBackend
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AwsBatch.BatchJobEnvironment.JobIdVariable)))
        {
            if (string.IsNullOrWhiteSpace(options.Queue))
            {
                yield return $"{S}Queue is required with the {BatchClusterOptions.AwsBatchBackend} backend outside an AWS Batch job (inside one it is the manager's own)";
            }

            if (string.IsNullOrWhiteSpace(options.JobDefinition))
            {
                yield return $"{S}JobDefinition is required with the {BatchClusterOptions.AwsBatchBackend} backend outside an AWS Batch job (inside one it is the manager's own)";
            }
        }

        if (options.Region is { } region && !AwsBatch.AwsBatchEndpoint.IsValidRegionName(region))
        {
            yield return $"{S}Region must be an AWS region name such as us-east-1, got {InputText.Quote(region)}";
        }

        foreach (var (setting, url) in new[] { ("BatchEndpoint", options.BatchEndpoint), ("DynamoDBEndpoint", options.DynamoDBEndpoint) })
        {
            if (url is not null && !(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
            {
                yield return $"{S}{setting} must be an http:// or https:// URL, got {InputText.Quote(url.OriginalString)}";
            }
        }

        if (options.SiloArguments is null || options.SiloArguments.Any(string.IsNullOrEmpty))
        {
            yield return $"{S}SiloArguments must be a list of non-empty arguments (default: silo)";
        }

        if (options.TlsCertificate is { } certificate)
        {
            if (options.Tls == false)
            {
                yield return $"{S}TlsCertificate is set but {S}Tls is false; unset one of them";
            }
            else if (Security.Internal.ClusterCertificateCheck.Explain(certificate) is { } problem)
            {
                yield return $"{S}TlsCertificate {problem}";
            }
        }

        if (options.LocalSiloProgram is { } program && (program.Count == 0 || string.IsNullOrWhiteSpace(program[0])))
        {
            yield return $"{S}LocalSiloProgram must start with a program's path, or be left unset for this program";
        }
    }
}
