namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Lists the machine's network interfaces (a seam, so the address choice can be tested with fake lists).</summary>
internal interface INetworkInterfaceSource
{
    /// <summary>Takes a snapshot of the machine's network interfaces.</summary>
    IReadOnlyList<NetworkInterfaceSnapshot> GetInterfaces();
}
