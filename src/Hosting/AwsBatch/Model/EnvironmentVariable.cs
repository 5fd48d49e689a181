namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>
/// An environment variable of a container (model shape <c>KeyValuePair</c>, renamed here because every use in the
/// modelled operations is an environment variable and the model's name collides with the BCL type).
/// </summary>
internal sealed class EnvironmentVariable
{
    /// <summary>Creates an empty variable (for deserialization and object initializers).</summary>
    public EnvironmentVariable()
    {
    }

    /// <summary>Creates a variable.</summary>
    /// <param name="name">The variable name. Batch rejects names that start with <c>AWS_BATCH</c>.</param>
    /// <param name="value">The value.</param>
    public EnvironmentVariable(string name, string value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The variable name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The variable value (<c>value</c>).</summary>
    public string? Value { get; init; }
}
