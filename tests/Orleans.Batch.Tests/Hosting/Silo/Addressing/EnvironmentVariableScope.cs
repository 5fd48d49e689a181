namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>
/// Sets (or removes, with <see langword="null"/>) process environment variables and restores them on dispose.
/// Environment variables are process-wide: only tests in <see cref="ProcessEnvironmentTests"/> may use it.
/// </summary>
public sealed class EnvironmentVariableScope : IDisposable
{
    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);

    public EnvironmentVariableScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Every variable the resolver reads, cleared: a machine that is not on AWS.</summary>
    public static (string Name, string? Value)[] NotOnAws() =>
    [
        ("AWS_BATCH_JOB_ID", null),
        ("ECS_CONTAINER_METADATA_URI_V4", null),
        ("ECS_CONTAINER_METADATA_URI", null),
        ("AWS_EXECUTION_ENV", null),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", null),
        ("AWS_EC2_METADATA_DISABLED", null),
    ];

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
