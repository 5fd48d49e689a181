namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Decides which IP address this silo advertises to the rest of the cluster.</summary>
internal interface ISiloAddressResolver
{
    /// <summary>
    /// Resolves the address, trying the configured sources in order of precedence (see
    /// <see cref="SiloAddressOptions"/>). Metadata endpoints that fail, time out or do not apply are skipped;
    /// an explicit setting that cannot be honoured throws.
    /// </summary>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The address and the source that produced it.</returns>
    /// <exception cref="InvalidOperationException">
    /// <see cref="SiloAddressOptions.AdvertisedAddress"/> does not resolve, or
    /// <see cref="SiloAddressOptions.NetworkInterfaceName"/> names an interface without a usable address.
    /// </exception>
    Task<SiloAddressResolution> ResolveAsync(CancellationToken cancellationToken);
}
