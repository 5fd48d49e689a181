using System.Net;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Application.Dashboard;
using Orleans.Batch.Benchmarks.Clusters;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// The manager's dashboard with a page open on it: the server the Launcher's <c>--dashboard</c> starts, polled every
/// second for what the overview page shows (counters, cluster statistics, top methods), as the page's script does.
/// </summary>
internal sealed class DashboardPageLoad : IAsyncDisposable
{
    private static readonly string[] OverviewRequests = ["DashboardCounters", "ClusterStats", "TopGrainMethods"];
    private static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    private readonly ManagerDashboard _dashboard;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    private DashboardPageLoad(ManagerDashboard dashboard)
    {
        _dashboard = dashboard;
        _http = new HttpClient { BaseAddress = dashboard.Url, Timeout = TimeSpan.FromSeconds(10) };
        _polling = PollAsync(_stop.Token);
    }

    /// <summary>How many page requests failed (a failing page would measure nothing).</summary>
    public int Failures { get; private set; }

    public static async Task<IAsyncDisposable> StartAsync(IBenchCluster cluster, CancellationToken cancellationToken)
    {
        var dashboard = await ManagerDashboard.StartAsync(new DashboardSettings(IPAddress.Loopback, 0), logging => logging.SetMinimumLevel(LogLevel.Warning), cancellationToken);
        dashboard.Attach(cluster.Client);
        return new DashboardPageLoad(dashboard);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _http.Dispose();
        await _dashboard.DisposeAsync();
        _stop.Dispose();
        if (Failures > 0)
        {
            throw new InvalidOperationException($"{Failures} dashboard page request(s) failed while the load ran: the measurement is not of a working dashboard.");
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var request in OverviewRequests)
                {
                    using var response = await _http.GetAsync(request, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        Failures++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
