using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Batch.Application.Dashboard;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Internal;

namespace Orleans.Batch.Application;

/// <summary>
/// Serves the Orleans Dashboard of the clusters a web host launches with
/// <see cref="OrleansBatchClusterExtensions.AddOrleansBatchCluster"/>: the page shows the cluster most recently launched
/// while it runs, and says the cluster is gone once its tear-down begins.
/// </summary>
public static class OrleansBatchDashboardExtensions
{
    /// <summary>
    /// Adds the dashboard's services to the host and has the silos of every cluster it launches publish the dashboard's
    /// statistics (<see cref="BatchClusterOptions.Dashboard"/>). Call <see cref="MapOrleansBatchDashboard"/> to serve it.
    /// </summary>
    /// <param name="builder">A host that also calls <see cref="OrleansBatchClusterExtensions.AddOrleansBatchCluster"/>.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddOrleansBatchDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(DashboardClusterSlot)))
        {
            return builder;
        }

        var slot = new DashboardClusterSlot();
        DashboardEndpoints.AddServices(builder.Services, builder.Configuration, slot);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILaunchedClusterSink>(slot));
        builder.Services.PostConfigure<BatchClusterOptions>(o => o.Dashboard = true);
        return builder;
    }

    /// <summary>
    /// Maps the dashboard's page and data endpoints under <paramref name="routePrefix"/> (the root by default). Until
    /// a cluster is ready, and after its tear-down begins, the data endpoints answer 503. The dashboard has no login of
    /// its own: add authorization to the returned group (<c>.RequireAuthorization()</c>) if the host is reachable by
    /// others.
    /// </summary>
    /// <param name="endpoints">The web application.</param>
    /// <param name="routePrefix">Where the page is served, e.g. <c>/dashboard</c>.</param>
    /// <returns>The dashboard's route group.</returns>
    /// <exception cref="InvalidOperationException"><see cref="AddOrleansBatchDashboard"/> was not called.</exception>
    public static RouteGroupBuilder MapOrleansBatchDashboard(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string? routePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var slot = endpoints.ServiceProvider.GetService<DashboardClusterSlot>()
            ?? throw new InvalidOperationException("MapOrleansBatchDashboard needs builder.AddOrleansBatchDashboard() on the host builder first.");
        return DashboardEndpoints.Map(endpoints, slot, routePrefix);
    }
}
