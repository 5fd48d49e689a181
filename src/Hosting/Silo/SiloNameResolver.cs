namespace Orleans.Batch.Hosting.Silo;

/// <summary>Decides the silo name: configured, else the Batch job id, else host and process id.</summary>
internal static class SiloNameResolver
{
    /// <summary>The variable AWS Batch sets to the job id (<c>&lt;array parent&gt;:&lt;index&gt;</c> for array children).</summary>
    public const string BatchJobIdVariable = AwsBatch.BatchJobEnvironment.JobIdVariable;

    /// <summary>Resolves the name from options and the environment.</summary>
    public static string Resolve(SiloHostingOptions options, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(options.Name))
        {
            return options.Name;
        }

        var jobId = getEnvironmentVariable(BatchJobIdVariable);
        return !string.IsNullOrWhiteSpace(jobId) ? jobId : $"{Environment.MachineName}-{Environment.ProcessId}";
    }
}
