using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Dashboard;

namespace Orleans.Batch.Application.Dashboard;

/// <summary>
/// The Orleans Dashboard's web side, wired to whichever cluster a <see cref="DashboardClusterSlot"/> holds: used by the
/// manager's own dashboard server and by web hosts of users (<see cref="OrleansBatchDashboardExtensions"/>).
/// </summary>
internal static class DashboardEndpoints
{
    // The endpoints that call the cluster; the page itself, its assets and its version load without one.
    private static readonly HashSet<string> DataEndpoints =
    [
        "DashboardCounters", "ClusterStats", "Reminders", "HistoricalStats", "SiloProperties", "SiloMetadata", "SiloStats",
        "SiloCounters", "GrainStats", "TopGrainMethods", "GrainState", "LifecycleStages", "GrainTypes",
    ];

    /// <summary>Registers the dashboard's services, reading the cluster from <paramref name="slot"/> on every request.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration, DashboardClusterSlot slot)
    {
        services.TryAddSingleton(slot);
        new ServiceCollectionClientBuilder(services, configuration).AddDashboard(o => o.HideTrace = true);

        // The dashboard's client keeps grain references of the client it was made with: made per request from the
        // slot's client (not from the host's IGrainFactory, which may be the host's own Orleans client), it follows the
        // slot to the next cluster the host launches. Only data endpoints ask for it, and only while the slot is full.
        var dashboardClient = services.LastOrDefault(d => d.ServiceType.Name == "IDashboardClient" && d.ImplementationType is not null)
            ?? throw new InvalidOperationException("The Orleans Dashboard package no longer registers IDashboardClient as Orleans.Batch expects; use the Microsoft.Orleans.Dashboard version Orleans.Batch was built with.");
        var implementation = dashboardClient.ImplementationType!;
        services.Replace(ServiceDescriptor.Transient(dashboardClient.ServiceType, provider => ActivatorUtilities.CreateInstance(
            provider, implementation, (IGrainFactory)(slot.Client ?? throw new InvalidOperationException("No Orleans.Batch cluster is ready.")))));
    }

    /// <summary>Maps the dashboard under <paramref name="routePrefix"/>; its data endpoints answer 503 while the slot is empty.</summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, DashboardClusterSlot slot, string? routePrefix)
    {
        var group = endpoints.MapOrleansDashboard(routePrefix);
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route || !CallsTheCluster(route.RoutePattern.RawText) || endpoint.RequestDelegate is not { } inner)
            {
                return;
            }

            endpoint.RequestDelegate = context => slot.Client is null ? NotReadyAsync(context) : inner(context);
        });
        return group;
    }

    private static Task NotReadyAsync(HttpContext context)
    {
        // The words the dashboard's page shows when it loses its cluster.
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync("The dashboard is still trying to connect to the Orleans cluster", context.RequestAborted);
    }

    private static bool CallsTheCluster(string? pattern) =>
        pattern is not null && pattern.Split('/').Any(DataEndpoints.Contains);

    /// <summary>The dashboard's client-side registration needs an <see cref="IClientBuilder"/>: here, the web host's services.</summary>
    private sealed class ServiceCollectionClientBuilder(IServiceCollection services, IConfiguration configuration) : IClientBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = configuration;
    }
}
