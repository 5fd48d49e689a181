using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// Checks Orleans' <see cref="ClusterOptions"/> as Orleans.Batch configures them, naming our keys (and the
/// environment variables that set them) rather than Orleans' property names.
/// </summary>
internal sealed class ClusterIdentityValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            return ValidateOptionsResult.Fail(
                $"{OrleansBatchConfiguration.ClusterIdKey} is required (environment variable {OrleansBatchConfiguration.ToEnvironmentVariable(OrleansBatchConfiguration.ClusterIdKey)}); the manager sets it to its job id.");
        }

        if (ClusterIdGrammar.Validate(options.ClusterId, OrleansBatchConfiguration.ToEnvironmentVariable(OrleansBatchConfiguration.ClusterIdKey)) is { } error)
        {
            return ValidateOptionsResult.Fail(error);
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            return ValidateOptionsResult.Fail(
                $"{OrleansBatchConfiguration.ServiceIdKey} must not be empty (environment variable {OrleansBatchConfiguration.ToEnvironmentVariable(OrleansBatchConfiguration.ServiceIdKey)}).");
        }

        return ValidateOptionsResult.Success;
    }
}
