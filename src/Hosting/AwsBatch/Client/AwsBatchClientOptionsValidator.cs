using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>Validates <see cref="AwsBatchClientOptions"/>; every message names the setting by its configuration path.</summary>
internal sealed class AwsBatchClientOptionsValidator : IValidateOptions<AwsBatchClientOptions>
{
    /// <summary>The largest <see cref="AwsBatchClientOptions.MaxAttempts"/>.</summary>
    public const int MaxAttemptsLimit = 20;

    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDelayOrTimeout = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AwsBatchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Prefix = AwsBatchClientOptions.SectionName + ":";

        if (options.Region is { } region && !AwsBatchEndpoint.IsValidRegionName(region))
        {
            failures.Add($"{Prefix}Region '{region}' is not a valid AWS region name; expected a name such as 'us-east-1'.");
        }

        if (options.ServiceUrl is { } serviceUrl)
        {
            if (!AwsBatchEndpoint.TryParseServiceUrl(serviceUrl, out _))
            {
                failures.Add($"{Prefix}ServiceUrl '{serviceUrl}' must be an absolute http:// or https:// URL without query or fragment, e.g. 'http://127.0.0.1:5080'.");
            }

            if (options.UseFipsEndpoint)
            {
                failures.Add($"{Prefix}UseFipsEndpoint cannot be combined with {Prefix}ServiceUrl (the endpoint rules do not support FIPS with a custom endpoint).");
            }

            if (options.UseDualStackEndpoint)
            {
                failures.Add($"{Prefix}UseDualStackEndpoint cannot be combined with {Prefix}ServiceUrl (the endpoint rules do not support dual-stack with a custom endpoint).");
            }
        }

        if (options.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            failures.Add($"{Prefix}MaxAttempts must be between 1 and {MaxAttemptsLimit} (was {options.MaxAttempts}).");
        }

        if (options.AttemptTimeout < MinAttemptTimeout || options.AttemptTimeout > MaxDelayOrTimeout)
        {
            failures.Add($"{Prefix}AttemptTimeout must be between 10 milliseconds and 1 day (was {options.AttemptTimeout}).");
        }

        if (options.BaseRetryDelay < TimeSpan.Zero || options.BaseRetryDelay > MaxDelayOrTimeout)
        {
            failures.Add($"{Prefix}BaseRetryDelay must be between 0 and 1 day (was {options.BaseRetryDelay}).");
        }

        if (options.MaxRetryDelay < options.BaseRetryDelay || options.MaxRetryDelay > MaxDelayOrTimeout)
        {
            failures.Add($"{Prefix}MaxRetryDelay must be at least {Prefix}BaseRetryDelay ({options.BaseRetryDelay}) and at most 1 day (was {options.MaxRetryDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
