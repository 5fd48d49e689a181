using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.EndToEnd;

/// <summary>
/// <c>--dashboard</c>: the manager serves the Orleans Dashboard of its running cluster on loopback, and a real browser
/// sees every silo in it.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class DashboardTests
{
    /// <summary>Set to 1 to refresh the README's screenshot (docs/images/dashboard.png) from this test.</summary>
    private const string UpdateScreenshotVariable = "ORLEANS_BATCH_UPDATE_SCREENSHOT";

    [Fact]
    public async Task A_browser_sees_every_running_silo_and_the_workloads_grains_on_the_dashboard()
    {
        var temp = Directory.CreateTempSubdirectory("orleans-batch-tests-dashboard-");
        var leaks = new ProcessLeakDetector();
        try
        {
            await using var launcher = LauncherProcess.Start(
                leaks,
                ["--silos", "3", "--dashboard", "0", "--hold"],
                new Dictionary<string, string> { ["TMPDIR"] = temp.FullName });
            await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(2));
            var url = DashboardUrl().Match(launcher.StandardError).Groups["url"].Value;
            url.ShouldStartWith("http://127.0.0.1:", customMessage: "the dashboard listens on loopback unless --dashboard-bind says otherwise");
            var silos = ActiveSilo().Matches(launcher.StandardError).Select(m => (Name: m.Groups["name"].Value, Address: m.Groups["address"].Value)).ToList();
            silos.Count.ShouldBe(3, launcher.StandardError);

            await using (var chromium = await HeadlessChromium.StartAsync())
            {
                var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
                await page.GotoAsync(url + "#/silos");

                // The silo table, filled in by the page's own polling of the manager.
                foreach (var (name, address) in silos)
                {
                    await ShouldShowAsync(page, page.GetByRole(AriaRole.Cell, new PageGetByRoleOptions { Name = name, Exact = true }), $"silo {name}");
                    await ShouldShowAsync(page, page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { NameRegex = new Regex($"^{Regex.Escape(address)}@") }).First, $"address {address}");
                }

                var screenshot = Path.Combine(temp.FullName, "dashboard.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
                if (Environment.GetEnvironmentVariable(UpdateScreenshotVariable) == "1")
                {
                    File.Copy(screenshot, Path.Combine(RepositoryPaths.Root, "docs", "images", "dashboard.png"), overwrite: true);
                }

                // The grains page lists the demo workload's grain, whose calls the silos' profiler counted.
                await page.GotoAsync(url + "#/grains");
                await ShouldShowAsync(page, page.GetByText("SiloIdentityGrain").First, "the demo workload's grain");
            }

            await launcher.SignalAsync("INT");
            (await launcher.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(130, launcher.StandardError);
            await ShouldRefuseConnectionsAsync(new Uri(url));
            await leaks.AssertNoneLeftAsync();
            Directory.EnumerateFiles(LocalStatePath.Under(temp.FullName), "*.membership.json", SearchOption.AllDirectories).ShouldBeEmpty("the membership rows are deleted");
        }
        finally
        {
            leaks.KillAll();
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_dashboard_port_in_use_is_one_line_naming_the_flag_and_nothing_starts()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var violations = await RejectedRun.FindViolationsAsync([new RejectedRun.BadInput(["--silos", "2", "--dashboard", port], new Dictionary<string, string>(), "--dashboard")]);

        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_dashboard_bind_address_needs_the_dashboard()
    {
        var error = await UsageErrorAssertions.ShouldBeRejectedAsync("--silos 2 --dashboard-bind 0.0.0.0", "--dashboard-bind");

        error.ShouldContain("needs --dashboard");
    }

    private static async Task ShouldShowAsync(IPage page, ILocator locator, string what)
    {
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException($"The dashboard did not show {what} within 60 s; the page read:\n{await page.InnerTextAsync("body")}");
        }
    }

    private static async Task ShouldRefuseConnectionsAsync(Uri url)
    {
        using var client = new TcpClient();
        await Should.ThrowAsync<SocketException>(() => client.ConnectAsync(url.Host, url.Port, TestContext.Current.CancellationToken).AsTask());
    }

    [GeneratedRegex(@"Dashboard: (?<url>http://\S+)")]
    private static partial Regex DashboardUrl();

    [GeneratedRegex(@"\((?<name>local-\d+)\): active at (?<address>\S+)")]
    private static partial Regex ActiveSilo();
}
