namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A container's log configuration (model shape <c>LogConfiguration</c>).</summary>
internal sealed class LogConfiguration
{
    /// <summary>The log driver (<c>logDriver</c>, required).</summary>
    public required LogDriver LogDriver { get; init; }

    /// <summary>Driver options, e.g. <c>awslogs-group</c> (<c>options</c>).</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>Secrets passed to the driver (<c>secretOptions</c>).</summary>
    public IReadOnlyList<Secret>? SecretOptions { get; init; }
}
