using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Silo;

/// <summary>Validates <see cref="SiloHostingOptions"/> with messages that name the setting.</summary>
internal sealed class SiloHostingOptionsValidator : IValidateOptions<SiloHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostingOptions options)
    {
        var failures = new List<string>();
        const string Section = SiloHostingOptions.SectionName;
        if (options.SiloPort is < 0 or > 65535)
        {
            failures.Add($"{Section}:SiloPort must be 0 (pick a free port) or a port number, got {options.SiloPort}.");
        }

        if (options.GatewayPort is < 0 or > 65535)
        {
            failures.Add($"{Section}:GatewayPort must be 0 (pick a free port) or a port number, got {options.GatewayPort}.");
        }

        if (options.SiloPort != 0 && options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{Section}:SiloPort and {Section}:GatewayPort must differ, both are {options.SiloPort}.");
        }

        if (options.MaxPortAttempts < 1)
        {
            failures.Add($"{Section}:MaxPortAttempts must be at least 1, got {options.MaxPortAttempts}.");
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:ShutdownTimeout must be positive, got {options.ShutdownTimeout}.");
        }

        if (options.SpotInterruptionCheckPeriod < TimeSpan.Zero)
        {
            failures.Add($"{Section}:SpotInterruptionCheckPeriod must be zero (off) or positive, got {options.SpotInterruptionCheckPeriod}.");
        }

        if (options.ParentProcessId is <= 0)
        {
            failures.Add($"{Section}:ParentProcessId must be a process id, got {options.ParentProcessId}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
