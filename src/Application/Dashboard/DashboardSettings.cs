using System.Net;

namespace Orleans.Batch.Application.Dashboard;

/// <summary>Where the manager serves the Orleans Dashboard (<c>--dashboard [PORT]</c>, <c>--dashboard-bind ADDRESS</c>).</summary>
/// <param name="Address">The interface to listen on: loopback unless <c>--dashboard-bind</c> names another.</param>
/// <param name="Port">The port; 0 picks a free one.</param>
internal sealed record DashboardSettings(IPAddress Address, int Port)
{
    /// <summary>The port when <c>--dashboard</c> is given without one: the Orleans Dashboard's customary port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The interface when <c>--dashboard-bind</c> is not given: this machine only.</summary>
    public static IPAddress DefaultAddress => IPAddress.Loopback;
}
