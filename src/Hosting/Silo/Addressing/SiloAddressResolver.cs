using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Orleans.Batch.Hosting.Silo.Addressing;

/// <summary>
/// Decides the address a silo advertises: the explicit setting, else the ECS task metadata (awsvpc), else the EC2
/// instance metadata private IP, else the best local interface, else <c>127.0.0.1</c>. See
/// <see cref="SiloAddressOptions"/> for the settings and <see cref="SiloAddressResolution"/> for the answer.
/// </summary>
/// <remarks>
/// Each call resolves afresh (nothing is cached); the silo start-up calls it once. Metadata sources that are not
/// configured are skipped without any network traffic, so a machine that is not on AWS resolves at once.
/// </remarks>
internal sealed class SiloAddressResolver : ISiloAddressResolver
{
    /// <summary>The name of the <see cref="HttpClient"/> the resolver is registered with.</summary>
    public const string HttpClientName = "Orleans.Batch.SiloAddress";

    private const string Prefix = SiloAddressOptions.SectionName + ":";

    private readonly SiloAddressOptions _options;
    private readonly INetworkInterfaceSource _networkInterfaces;
    private readonly ILogger _logger;
    private readonly EcsTaskMetadataClient _ecs;
    private readonly Ec2InstanceMetadataClient _ec2;

    /// <summary>Creates a resolver.</summary>
    /// <param name="options">The settings; validated here as well as at host start.</param>
    /// <param name="httpClient">
    /// The client for the metadata endpoints. It should not use a proxy: both endpoints are link-local
    /// (the service registration configures one that does not).
    /// </param>
    /// <param name="networkInterfaces">The machine's network interfaces.</param>
    /// <param name="timeProvider">The clock for request timeouts and retry delays.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The settings are invalid.</exception>
    public SiloAddressResolver(
        IOptions<SiloAddressOptions> options,
        HttpClient httpClient,
        INetworkInterfaceSource networkInterfaces,
        TimeProvider timeProvider,
        ILogger<SiloAddressResolver> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(networkInterfaces);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        _options = options.Value;
        var validation = SiloAddressOptionsValidator.Instance.Validate(Options.DefaultName, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloAddressOptions), validation.Failures);
        }

        _networkInterfaces = networkInterfaces;
        _logger = logger;
        var pipeline = MetadataRequestPipeline.Create(_options, timeProvider);
        _ecs = new EcsTaskMetadataClient(httpClient, pipeline);
        _ec2 = new Ec2InstanceMetadataClient(httpClient, pipeline);
    }

    /// <inheritdoc />
    public async Task<SiloAddressResolution> ResolveAsync(CancellationToken cancellationToken)
    {
        var resolution = await ResolveExplicitAsync(cancellationToken).ConfigureAwait(false)
            ?? await ResolveFromEcsTaskMetadataAsync(cancellationToken).ConfigureAwait(false)
            ?? await ResolveFromEc2InstanceMetadataAsync(cancellationToken).ConfigureAwait(false)
            ?? ResolveFromNetworkInterfaces();

        SiloAddressLog.Resolved(_logger, resolution.Address, resolution.Source, resolution.Detail);
        return resolution;
    }

    private async Task<SiloAddressResolution?> ResolveExplicitAsync(CancellationToken cancellationToken)
    {
        const string Setting = Prefix + nameof(SiloAddressOptions.AdvertisedAddress);
        var value = _options.AdvertisedAddress?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            SiloAddressLog.SourceSkipped(_logger, SiloAddressSource.Explicit, $"{Setting} is not set");
            return null;
        }

        if (IPAddress.TryParse(value, out var literal))
        {
            return new SiloAddressResolution(literal, SiloAddressSource.Explicit, Setting);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(value, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException exception)
        {
            throw new InvalidOperationException(
                $"{Setting} is the host name '{value}', which does not resolve: {exception.Message}", exception);
        }

        SiloAddressLog.HostNameResolved(_logger, value, addresses);

        // IPv4 first: the silos of one cluster are normally on one IPv4 VPC, whatever order DNS returns.
        var chosen = addresses.FirstOrDefault(static a => a.AddressFamily == AddressFamily.InterNetwork && SiloAddressOptionsValidator.IsAdvertisable(a))
            ?? addresses.FirstOrDefault(static a => a.AddressFamily == AddressFamily.InterNetworkV6 && SiloAddressOptionsValidator.IsAdvertisable(a))
            ?? throw new InvalidOperationException(
                $"{Setting} is the host name '{value}', which resolves to no address a silo can advertise.");

        return new SiloAddressResolution(chosen, SiloAddressSource.Explicit, $"{Setting} host name '{value}'");
    }

    private async Task<SiloAddressResolution?> ResolveFromEcsTaskMetadataAsync(CancellationToken cancellationToken)
    {
        const SiloAddressSource Source = SiloAddressSource.EcsTaskMetadata;
        if (!_options.UseEcsTaskMetadata)
        {
            SiloAddressLog.SourceSkipped(_logger, Source, $"{Prefix}{nameof(SiloAddressOptions.UseEcsTaskMetadata)} is false");
            return null;
        }

        var uri = _options.EcsContainerMetadataUri
            ?? ReadUriFromEnvironment(AwsEnvironmentVariables.EcsContainerMetadataUriV4, Source);
        if (uri is null)
        {
            SiloAddressLog.SourceSkipped(_logger, Source,
                $"{AwsEnvironmentVariables.EcsContainerMetadataUriV4} is not set (not an ECS task or Batch job)");
            return null;
        }

        EcsContainerMetadata metadata;
        try
        {
            metadata = await _ecs.GetContainerMetadataAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsMetadataFailure(exception, cancellationToken))
        {
            SiloAddressLog.SourceFailed(_logger, Source, uri.ToString(), Describe(exception), exception);
            return null;
        }

        var networks = (metadata.Networks ?? []).OfType<EcsContainerNetwork>().ToList();
        var awsvpc = networks
            .Where(static n => string.Equals(n.NetworkMode, "awsvpc", StringComparison.OrdinalIgnoreCase))
            .OrderBy(static n => n.AttachmentIndex ?? int.MaxValue)
            .ToList();
        if (awsvpc.Count == 0)
        {
            // host (the Batch on EC2 default) or bridge: the container has no address of its own to advertise.
            string[] modes = [.. networks.Select(static n => n.NetworkMode ?? "(none)").Distinct()];
            SiloAddressLog.EcsTaskNotAwsvpc(_logger, modes);
            return null;
        }

        // IPv4 first; an IPv6-only awsvpc subnet still gives the task an address.
        var address = FirstUsable(awsvpc.SelectMany(static n => n.IPv4Addresses ?? []), AddressFamily.InterNetwork)
            ?? FirstUsable(awsvpc.SelectMany(static n => n.IPv6Addresses ?? []), AddressFamily.InterNetworkV6);
        if (address is null)
        {
            SiloAddressLog.SourceFailed(_logger, Source, uri.ToString(),
                "the awsvpc network lists no usable IPv4 or IPv6 address", exception: null);
            return null;
        }

        return new SiloAddressResolution(address, Source, $"awsvpc network, task metadata {uri}");
    }

    private async Task<SiloAddressResolution?> ResolveFromEc2InstanceMetadataAsync(CancellationToken cancellationToken)
    {
        const SiloAddressSource Source = SiloAddressSource.Ec2InstanceMetadata;
        const string ModeSetting = Prefix + nameof(SiloAddressOptions.Ec2InstanceMetadata);
        var mode = _options.Ec2InstanceMetadata;
        if (mode == Ec2InstanceMetadataMode.Disabled)
        {
            SiloAddressLog.SourceSkipped(_logger, Source, $"{ModeSetting} is {nameof(Ec2InstanceMetadataMode.Disabled)}");
            return null;
        }

        if (!EC2InstanceMetadata.IsIMDSEnabled)
        {
            SiloAddressLog.SourceSkipped(_logger, Source, $"{AwsEnvironmentVariables.Ec2MetadataDisabled} is true");
            return null;
        }

        var configuredEndpoint = _options.Ec2InstanceMetadataEndpoint
            ?? ReadUriFromEnvironment(AwsEnvironmentVariables.Ec2MetadataServiceEndpoint, Source);
        if (mode == Ec2InstanceMetadataMode.Auto && configuredEndpoint is null && !AwsEnvironmentVariables.RunsInBatchOrEcs())
        {
            SiloAddressLog.SourceSkipped(_logger, Source,
                $"not running in an AWS Batch job or ECS task and no endpoint is configured (set {ModeSetting} to Enabled to ask anyway)");
            return null;
        }

        Uri endpoint;
        try
        {
            // The AWS SDK's own choice: AWS_EC2_METADATA_SERVICE_ENDPOINT, the profile, the endpoint mode, the default.
            endpoint = configuredEndpoint ?? new Uri(EC2InstanceMetadata.ServiceEndpoint);
        }
        catch (UriFormatException exception)
        {
            SiloAddressLog.SourceFailed(_logger, Source, "(AWS SDK configuration)",
                "the configured EC2 instance metadata endpoint is not a URI", exception);
            return null;
        }

        string text;
        try
        {
            text = await _ec2.GetLocalIPv4Async(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsMetadataFailure(exception, cancellationToken))
        {
            SiloAddressLog.SourceFailed(_logger, Source, endpoint.ToString(), Describe(exception), exception);
            return null;
        }

        var address = FirstUsable([text], AddressFamily.InterNetwork);
        if (address is null)
        {
            SiloAddressLog.SourceFailed(_logger, Source, endpoint.ToString(),
                $"local-ipv4 is '{Truncate(text)}', not a usable IPv4 address", exception: null);
            return null;
        }

        return new SiloAddressResolution(address, Source, $"local-ipv4, instance metadata {endpoint}");
    }

    private SiloAddressResolution ResolveFromNetworkInterfaces()
    {
        const string Setting = Prefix + nameof(SiloAddressOptions.NetworkInterfaceName);
        IReadOnlyList<NetworkInterfaceSnapshot> interfaces;
        try
        {
            interfaces = _networkInterfaces.GetInterfaces();
        }
        catch (NetworkInformationException exception) when (_options.NetworkInterfaceName is null)
        {
            SiloAddressLog.SourceFailed(_logger, SiloAddressSource.NetworkInterface, "(local)",
                "the network interfaces could not be listed", exception);
            interfaces = [];
        }

        var choice = NetworkInterfaceAddressSelector.Select(interfaces, _options.NetworkInterfaceName);
        if (choice is { } chosen)
        {
            return new SiloAddressResolution(chosen.Address, SiloAddressSource.NetworkInterface, chosen.Interface.Name);
        }

        if (_options.NetworkInterfaceName is { } name)
        {
            throw new InvalidOperationException(
                $"{Setting} is '{name}', but no interface of that name is up with a routable IPv4 address. Interfaces: "
                + (interfaces.Count == 0 ? "none" : string.Join(", ", interfaces.Select(Describe))) + ".");
        }

        SiloAddressLog.LoopbackFallback(_logger, IPAddress.Loopback);
        return new SiloAddressResolution(IPAddress.Loopback, SiloAddressSource.LoopbackFallback,
            "no network interface with a routable IPv4 address");
    }

    private Uri? ReadUriFromEnvironment(string variable, SiloAddressSource source)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        SiloAddressLog.SourceFailed(_logger, source, variable, $"'{Truncate(value)}' is not an http URI", exception: null);
        return null;
    }

    private static IPAddress? FirstUsable(IEnumerable<string?> candidates, AddressFamily family)
    {
        foreach (var candidate in candidates)
        {
            if (IPAddress.TryParse(candidate?.Trim(), out var address)
                && address.AddressFamily == family
                && SiloAddressOptionsValidator.IsAdvertisable(address)
                && !IPAddress.IsLoopback(address)
                && !address.IsIPv6LinkLocal
                && !NetworkInterfaceAddressSelector.IsIPv4LinkLocal(address))
            {
                return address;
            }
        }

        return null;
    }

    // Everything a broken, absent or slow metadata endpoint can throw; the caller's own cancellation is not one of them.
    private static bool IsMetadataFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or TimeoutRejectedException or JsonException => true,
        // An HttpClient.Timeout shorter than ours, or a handler that gave up.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private string Describe(Exception exception) => exception switch
    {
        TimeoutRejectedException => $"no answer within {_options.MetadataRequestTimeout.TotalMilliseconds:0} ms",
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status} {status}",
        JsonException json => $"the answer is not valid metadata JSON ({json.Message})",
        _ => exception.Message,
    };

    private static string Describe(NetworkInterfaceSnapshot networkInterface) =>
        $"{networkInterface.Name} ({networkInterface.Status}: {string.Join(" ", networkInterface.UnicastAddresses)})";

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
