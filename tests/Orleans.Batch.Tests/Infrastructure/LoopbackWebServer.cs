using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>A quiet Kestrel app on 127.0.0.1 and a free port: the base of the tests' stand-in servers.</summary>
public static class LoopbackWebServer
{
    /// <summary>Builds the app, lets <paramref name="map"/> add its endpoints, starts it, and returns it with its address.</summary>
    /// <param name="map">Adds the endpoints.</param>
    /// <param name="protocols">HTTP/1.1 (and HTTP/2 over TLS) by default; <see cref="HttpProtocols.Http2"/> alone for cleartext HTTP/2 (gRPC).</param>
    /// <returns>The running app (stop and dispose it) and its base address, ending with <c>/</c>.</returns>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> map, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/"));
    }
}
