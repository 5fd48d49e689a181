using System.Globalization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>A resource a container needs (model shape <c>ResourceRequirement</c>).</summary>
internal sealed class ResourceRequirement
{
    /// <summary>The amount, as a string: vCPUs (fractions allowed on Fargate), MiB of memory, or a GPU count (<c>value</c>, required).</summary>
    public required string Value { get; init; }

    /// <summary>The kind of resource (<c>type</c>, required).</summary>
    public required ResourceType Type { get; init; }

    /// <summary>A vCPU requirement, e.g. <c>1</c> or <c>0.25</c>.</summary>
    /// <param name="vcpus">The number of vCPUs.</param>
    /// <returns>The requirement.</returns>
    public static ResourceRequirement ForVcpus(double vcpus)
        => new() { Type = ResourceType.Vcpu, Value = vcpus.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A hard memory limit in MiB.</summary>
    /// <param name="mebibytes">The memory in MiB.</param>
    /// <returns>The requirement.</returns>
    public static ResourceRequirement ForMemory(int mebibytes)
        => new() { Type = ResourceType.Memory, Value = mebibytes.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A number of physical GPUs.</summary>
    /// <param name="gpus">The number of GPUs.</param>
    /// <returns>The requirement.</returns>
    public static ResourceRequirement ForGpus(int gpus)
        => new() { Type = ResourceType.Gpu, Value = gpus.ToString(CultureInfo.InvariantCulture) };
}
