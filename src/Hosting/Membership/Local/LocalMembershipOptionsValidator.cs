using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>Validates <see cref="LocalMembershipOptions"/> at start.</summary>
internal sealed class LocalMembershipOptionsValidator : IValidateOptions<LocalMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalMembershipOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Fail($"{LocalMembershipOptions.SectionName}:Directory must name a directory.");
        }

        if (options.LockTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{LocalMembershipOptions.SectionName}:LockTimeout must be positive, got {options.LockTimeout}.");
        }

        return ValidateOptionsResult.Success;
    }
}
