using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Application;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Application.Dashboard;

/// <summary>
/// A web app of the user's own serves the dashboard of the clusters it launches: <c>AddOrleansBatchDashboard</c> and
/// <c>MapOrleansBatchDashboard</c>, next to <c>AddOrleansBatchCluster</c>.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OrleansBatchDashboardExtensionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_web_app_shows_the_cluster_it_launched_and_follows_it_to_the_next()
    {
        var leaks = new ProcessLeakDetector();
        await using var app = WebApp(leaks);
        await app.StartAsync(Token);
        using var http = new HttpClient { BaseAddress = new Uri(BoundAddress(app), "/ops/dashboard/") };

        // The page loads at once; its data waits for a cluster.
        (await http.GetAsync("index.html", Token)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("DashboardCounters", Token)).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        var launcher = app.Services.GetRequiredService<IBatchClusterLauncher>();
        var first = await launcher.LaunchAsync(cancellationToken: Token);
        await ShouldListAsync(http, first.Silos.Single());

        // Tear-down begins: the page says the cluster is gone instead of calling a client that is stopping.
        await first.ShutdownAsync("the test is done", Token);
        (await http.GetAsync("DashboardCounters", Token)).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        // The next cluster the app launches is the one shown, not the first one's stale grain references.
        var second = await launcher.LaunchAsync(cancellationToken: Token);
        await ShouldListAsync(http, second.Silos.Single());
        second.ClusterId.ShouldNotBe(first.ClusterId);

        await app.StopAsync(Token);
        await app.DisposeAsync();
        await leaks.AssertNoneLeftAsync();
    }

    [Fact]
    public void Mapping_without_adding_says_which_call_is_missing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();

        var error = Should.Throw<InvalidOperationException>(() => app.MapOrleansBatchDashboard());

        error.Message.ShouldContain("builder.AddOrleansBatchDashboard()");
    }

    [Fact]
    public void Adding_the_dashboard_has_the_silos_publish_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddOrleansBatchCluster(o => o.Silos = 1);
        builder.AddOrleansBatchDashboard();
        using var app = builder.Build();

        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BatchClusterOptions>>().Value.Dashboard.ShouldBeTrue();

        // The host's own Orleans client, if it has one, keeps its IGrainFactory: the dashboard reads the launched cluster's.
        builder.Services.ShouldNotContain(d => d.ServiceType == typeof(IGrainFactory));
    }

    private static async Task ShouldListAsync(HttpClient http, ClusterSilo silo)
    {
        // The dashboard grain learns of the silo from the membership table: give it a few polls, as the page does.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string body;
        do
        {
            using var response = await http.GetAsync("DashboardCounters", Token);
            body = await response.Content.ReadAsStringAsync(Token);
            if (response.StatusCode == HttpStatusCode.OK && body.Contains(silo.Address.Endpoint.ToString(), StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(500, Token);
        }
        while (DateTime.UtcNow < deadline);

        body.ShouldContain(silo.Address.Endpoint.ToString(), customMessage: $"the dashboard lists {silo}");
    }

    private static WebApplication WebApp(ProcessLeakDetector leaks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddOrleansBatchCluster(o =>
        {
            o.Silos = 1;
            o.LocalSiloProgram = ["/usr/bin/env", $"{ProcessLeakDetector.MarkerVariable}={leaks.Marker}", BatchEmulatorFixture.DotnetHost(), RepositoryPaths.LauncherDll];
        });
        builder.AddOrleansBatchDashboard();
        var app = builder.Build();
        app.MapGroup("/ops").MapOrleansBatchDashboard("/dashboard");
        return app;
    }

    private static Uri BoundAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
}
