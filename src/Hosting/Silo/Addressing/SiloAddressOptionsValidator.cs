using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>Validates <see cref="SiloAddressOptions"/>; every message names the setting it is about.</summary>
internal sealed class SiloAddressOptionsValidator : IValidateOptions<SiloAddressOptions>
{
    private const string Prefix = SiloAddressOptions.SectionName + ":";
    private static readonly TimeSpan MaxMetadataRequestTimeout = TimeSpan.FromMinutes(1);
    private const int MaxMetadataRetryCount = 10;

    public static SiloAddressOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, SiloAddressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.AdvertisedAddress is { } advertised)
        {
            ValidateAdvertisedAddress(advertised, failures);
        }

        ValidateEndpoint(options.EcsContainerMetadataUri, nameof(SiloAddressOptions.EcsContainerMetadataUri), failures);
        ValidateEndpoint(options.Ec2InstanceMetadataEndpoint, nameof(SiloAddressOptions.Ec2InstanceMetadataEndpoint), failures);

        if (!Enum.IsDefined(options.Ec2InstanceMetadata))
        {
            failures.Add($"{Prefix}{nameof(SiloAddressOptions.Ec2InstanceMetadata)} must be one of "
                + $"{string.Join(", ", Enum.GetNames<Ec2InstanceMetadataMode>())}; it is '{options.Ec2InstanceMetadata}'.");
        }

        if (options.MetadataRequestTimeout <= TimeSpan.Zero || options.MetadataRequestTimeout > MaxMetadataRequestTimeout)
        {
            failures.Add($"{Prefix}{nameof(SiloAddressOptions.MetadataRequestTimeout)} must be greater than zero and at "
                + $"most {MaxMetadataRequestTimeout}; it is {options.MetadataRequestTimeout}.");
        }

        if (options.MetadataRetryCount is < 0 or > MaxMetadataRetryCount)
        {
            failures.Add($"{Prefix}{nameof(SiloAddressOptions.MetadataRetryCount)} must be between 0 and "
                + $"{MaxMetadataRetryCount}; it is {options.MetadataRetryCount}.");
        }

        if (options.NetworkInterfaceName is { } interfaceName && string.IsNullOrWhiteSpace(interfaceName))
        {
            failures.Add($"{Prefix}{nameof(SiloAddressOptions.NetworkInterfaceName)} must name an interface "
                + "(such as eth0) or be left unset.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateAdvertisedAddress(string value, List<string> failures)
    {
        const string Setting = Prefix + nameof(SiloAddressOptions.AdvertisedAddress);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            failures.Add($"{Setting} must be an IP address or a host name, or be left unset; it is empty.");
            return;
        }

        if (IPAddress.TryParse(trimmed, out var address))
        {
            if (!IsAdvertisable(address))
            {
                failures.Add($"{Setting} must be a unicast address other silos can reach; '{trimmed}' is not.");
            }

            return;
        }

        if (Uri.CheckHostName(trimmed) != UriHostNameType.Dns)
        {
            failures.Add($"{Setting} must be an IP address or a host name; '{trimmed}' is neither.");
        }
    }

    private static void ValidateEndpoint(Uri? endpoint, string property, List<string> failures)
    {
        if (endpoint is null)
        {
            return;
        }

        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Prefix}{property} must be an absolute http or https URI; it is '{endpoint}'.");
        }
    }

    /// <summary>Whether an address can be advertised at all: not "any", broadcast or multicast.</summary>
    internal static bool IsAdvertisable(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => !address.Equals(IPAddress.Any)
            && !address.Equals(IPAddress.Broadcast)
            && !IsIPv4Multicast(address),
        AddressFamily.InterNetworkV6 => !address.Equals(IPAddress.IPv6Any) && !address.IsIPv6Multicast,
        _ => false,
    };

    private static bool IsIPv4Multicast(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return bytes[0] is >= 224 and <= 239;
    }
}
