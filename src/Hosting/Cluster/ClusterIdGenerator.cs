using System.Globalization;

namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Makes cluster ids for managers that do not run inside a Batch job.</summary>
public static class ClusterIdGenerator
{
    /// <summary>
    /// A new id such as <c>ob-20261124-101500-3f9a1c</c>: sortable by start time, unique, and safe as a file
    /// name, a DynamoDB key and a Batch job name.
    /// </summary>
    public static string NewClusterId(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        return string.Create(CultureInfo.InvariantCulture, $"ob-{now:yyyyMMdd-HHmmss}-{suffix}");
    }
}
