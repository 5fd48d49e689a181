using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Batch.Grains.Placement;
using Orleans.Configuration;

// A plain Orleans silo: Generic Host + UseOrleans + UseLocalhostClustering, default membership timings.
// Usage: Baseline.Silo --name NAME --silo-port P --gateway-port G --primary-port P0 --cluster-id ID
// The silo whose --silo-port equals --primary-port is the primary: it hosts the development membership table.
// It stops on SIGTERM or Ctrl+C (the Generic Host's console lifetime), like any Orleans service.

var options = ParseArguments(args);
var builder = Host.CreateApplicationBuilder();
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(
        siloPort: options.SiloPort,
        gatewayPort: options.GatewayPort,
        primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, options.PrimaryPort),
        serviceId: "orleans-batch-baseline",
        clusterId: options.ClusterId);
    silo.Configure<SiloOptions>(o => o.SiloName = options.Name);
    silo.AddSiloTargetedPlacement();
});

using var host = builder.Build();
await host.RunAsync();
return 0;

static BaselineArguments ParseArguments(string[] args)
{
    var values = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        values[args[i]] = args[i + 1];
    }

    string Required(string name) => values.TryGetValue(name, out var value) && value.Length > 0
        ? value
        : throw new ArgumentException($"{name} is required. Usage: Baseline.Silo --name NAME --silo-port P --gateway-port G --primary-port P0 --cluster-id ID");

    int Port(string name) => int.TryParse(Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
        ? port
        : throw new ArgumentException($"{name} must be a port number between 1 and 65535.");

    return new BaselineArguments(Required("--name"), Port("--silo-port"), Port("--gateway-port"), Port("--primary-port"), Required("--cluster-id"));
}

internal sealed record BaselineArguments(string Name, int SiloPort, int GatewayPort, int PrimaryPort, string ClusterId);
