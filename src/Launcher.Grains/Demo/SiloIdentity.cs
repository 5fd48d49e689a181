namespace Orleans.Batch.Launcher.Grains.Demo;

/// <summary>What a silo says about itself, computed on that silo.</summary>
/// <param name="SiloName">The silo's name (its Batch job id, or <c>local-N</c>).</param>
/// <param name="SiloAddress">The address other silos and clients use, <c>ip:port@generation</c>.</param>
/// <param name="HostName">The machine the silo runs on.</param>
/// <param name="ProcessId">The silo's operating-system process id.</param>
[GenerateSerializer, Immutable]
public sealed record SiloIdentity(
    [property: Id(0)] string SiloName,
    [property: Id(1)] string SiloAddress,
    [property: Id(2)] string HostName,
    [property: Id(3)] int ProcessId)
{
    /// <inheritdoc />
    public override string ToString() => $"{SiloName} at {SiloAddress} on {HostName}, pid {ProcessId}";
}
