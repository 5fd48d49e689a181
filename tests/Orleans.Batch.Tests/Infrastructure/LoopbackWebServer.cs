using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>A quiet Kestrel app on 127.0.0.1 and a free port: the base of the tests' stand-in servers.</summary>
public static class LoopbackWebServer
{
    /// <summary>Builds the app, lets <paramref name="map"/> add its endpoints, starts it, and returns it with its address.</summary>
    /// <param name="map">Adds the endpoints.</param>
    /// <returns>The running app (stop and dispose it) and its base address, ending with <c>/</c>.</returns>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/"));
    }
}
